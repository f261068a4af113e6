"""The demo program as data tables: the company the seed disclosure describes, anonymised.

Each module holds plain tables (tuples and dicts) that the loaders in `riskward.demo.loaders`
turn into records through the apps' services. Dates that run the program day to day (reviews,
actions, evidence expiry) are offsets from the load date; dated history is fixed.
"""
