"""Reports for regulators: the lead report of draft art. 12."""
