"""isgkatip-rpa: a robot for the repetitive İSG-KATİP chores of OSGB back offices."""

__version__ = "0.1.0"
