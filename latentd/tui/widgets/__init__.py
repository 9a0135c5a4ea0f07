"""The TUI's panes, one per module; each draws from the app's DaemonState when it changes."""
