"""Till and stockroom screens, plus the login and home screens every user passes through."""
