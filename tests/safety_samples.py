"""Calls whose safety baselines are known by hand, and a survey where every area answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ZONE = "America/Chicago"
START = pd.Timestamp("2025-01-01 08:00", tz=ZONE)

# call type, priority, area, days after START, minutes to arrival, block, disposition, hours
CALLS = (
    ("ASSAULT", "1", "North", 0, 6, "100 MAIN ST", "ARREST", 1.0),
    ("ASSAULT", "1", "South", 0, 10, "200 OAK AV", "REPORT", 1.0),
    ("ASSAULT", "1", "North", 10, 8, "100 MAIN ST", "REPORT", 1.0),  # repeat within 30 days
    ("DISTURBANCE", "2", "North", 50, 30, "100 MAIN ST", "ARREST", 0.5),  # 40 days: not repeat
    ("DISTURBANCE", "2", "South", 5, 25, "200 OAK AV", "NO ACTION", 0.5),  # repeat
    ("WELFARE CHECK", "3", "South", 20, 40, "300 ELM ST", "REPORT", 2.0),
    ("BURGLAR ALARM", "3", "North", 30, 15, "400 PINE ST", "FALSE ALARM", 1.0),
)


def calls_frame() -> pd.DataFrame:
    """The calls of CALLS on the canonical schema."""
    rows = []
    for i, (kind, priority, area, day, minutes, block, disposition, hours) in enumerate(CALLS):
        received = START + pd.Timedelta(days=day, minutes=i)
        rows.append(
            {
                "call_id": f"C{i}",
                "received_at": received,
                "call_type": kind,
                "call_type_desc": kind,
                "priority": priority,
                "area": area,
                "block": block,
                "arrived_at": received + pd.Timedelta(minutes=minutes),
                "units": 1,
                "unit_hours": hours,
                "disposition": disposition,
                "initiated_by": "911",
            }
        )
    return pd.DataFrame(rows)


def write_survey(folder: Path) -> Path:
    """Every area answers; each area's score is the same for all its respondents."""
    rng = np.random.default_rng(5)
    areas = np.repeat(["North", "South", "<img src=x onerror=alert(1)>"], 30)
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(areas))],
            "area": areas,
            "demographic_group": rng.choice(["White", "Black", "Hispanic", "Asian"], len(areas)),
            "rating_traffic": rng.integers(1, 6, len(areas)),
            "score_feel_safe": np.select([areas == "North", areas == "South"], [8, 4], 6),
        }
    )
    path = folder / "survey.csv"
    frame.to_csv(path, index=False)
    return path
