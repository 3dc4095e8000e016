from cvbuild.cli import main

raise SystemExit(main())
