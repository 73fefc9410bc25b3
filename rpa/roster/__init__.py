"""Reading the personnel lists (rosters) OSGBs keep in spreadsheets.

Entry point: `rpa.roster.reader.read_roster(paths, today=..., default_sicil=...) -> Roster`, whose `rows`
hold one RosterRow per person and workplace (`Roster.by_workplace()`), and `files` one FileReport per file
with every rejected row. Importing this package loads nothing heavy; pandas comes with the reader.
"""
