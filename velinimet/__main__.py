from velinimet.cli import main

main()
