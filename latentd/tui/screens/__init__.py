"""The TUI's screens: the main performance screen, help, and the small dialogs."""
