"""Open FAIR Monte Carlo engine: pure numpy, no Django (risks.services stores its inputs/results).

`model.Scenario` states a risk's loss event frequency and magnitude as `estimates.Estimate`s
plus its controls; `simulate.run_study` simulates many years of many risks and summarises them.
"""
