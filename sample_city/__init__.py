"""Port Calder, the kit's fictional sample jurisdiction, and the seeded script that makes it.

``sample_city.generate`` makes the raw files (CAD exports, areas, budget, survey);
``sample_city.build`` turns them into a ready workspace through the kit's own import.
"""
