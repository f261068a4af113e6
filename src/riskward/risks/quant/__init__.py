"""Open FAIR Monte Carlo engine: pure numpy, imports no Django.

`model.Scenario` states a risk's loss event frequency and loss magnitude as calibrated
`estimates.Estimate`s, with the controls that reduce them; `simulate.run_study` simulates many
years of many risks and summarises each risk's and the portfolio's annual loss (`summary`).
"""

# The engine's figures for given inputs and seed are part of its behaviour. Raise this whenever a
# change alters them (a sampler, a table, the streams, the block sizes, the generator), so stored
# results say which engine computed them and the pages can tell an older run apart.
ENGINE_VERSION = 3


def numpy_version() -> str:
    """The numpy release the engine runs on, stored beside ENGINE_VERSION with every result.

    The engine draws some numbers with numpy's Generator methods (`random` for the far tail of a
    lognormal, `poisson` for very high frequencies), whose output numpy does not promise to keep
    across releases; so the engine version alone does not pin a result, and an auditor
    reproducing a figure needs both.
    """
    # Imported here: every process start loads this package (the models read ENGINE_VERSION),
    # and only a run needs numpy.
    import numpy

    return numpy.__version__
