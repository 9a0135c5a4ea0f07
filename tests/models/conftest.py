import pathlib
import sys

# rave_fixtures.py builds RAVE-export look-alikes; make it importable from these tests
sys.path.insert(0, str(pathlib.Path(__file__).parent))
