"""placeholder while the foundation is being written (not committed)."""
def add_arguments(parser):
    parser.add_argument("--config")
def run(args):
    raise NotImplementedError
