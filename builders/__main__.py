from builders.cli import main

raise SystemExit(main())
