"""The staff console API (/api/staff/v1): login, operator intake, department queues, work orders."""
