"""Proving the data is whole and keeping copies of it: verifying the audit chain, every sealed
sale and Z report (integrity), and backups and restores that verify themselves. It sits above
the business areas because it checks their records."""
