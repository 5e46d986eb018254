from listing_gate.cli import main

raise SystemExit(main())
