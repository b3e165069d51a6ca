"""A plugin that fails while loading."""

raise ImportError("this plugin is broken on purpose")
