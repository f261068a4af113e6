"""Open FAIR Monte Carlo engine: pure numpy, imports no Django.

`model.Scenario` states a risk's loss event frequency and loss magnitude as calibrated
`estimates.Estimate`s, with the controls that reduce them; `simulate.run_study` simulates many
years of many risks and summarises each risk's and the portfolio's annual loss (`summary`).
"""

# The engine's figures for given inputs and seed are part of its behaviour. Raise this whenever a
# change alters them (a sampler, a table, the streams, the block sizes, the generator), so stored
# results say which engine computed them and the pages can tell an older run apart.
ENGINE_VERSION = 2
