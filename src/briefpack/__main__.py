import sys

from briefpack.entry import main

sys.exit(main())
