"""Reports for supervisors and technicians: usage, rankings, 实时可办率, reliability, exports."""
