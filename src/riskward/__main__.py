from riskward.cli import main

main()
