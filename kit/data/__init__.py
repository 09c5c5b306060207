"""Import of calls-for-service and other tables onto the kit's canonical schema."""
