"""Exit codes the UI process and its supervisor agree on (no imports: the UI reads these first)."""

EXIT_CONFIG_ERROR = 2  # the UI refused its config: restarting would only repeat that
EXIT_RESTART = 3  # the UI asks to be started again at once (maintenance screen)
