"""Open FAIR Monte Carlo engine: pure numpy, imports no Django.

`model.Scenario` states a risk's loss event frequency and loss magnitude as calibrated
`estimates.Estimate`s, with the controls that reduce them; `simulate.run_study` simulates many
years of many risks and summarises each risk's and the portfolio's annual loss (`summary`).
"""
