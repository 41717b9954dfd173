"""What /sync shows: the live 1C sync's state per entity, and its *Sync now* button."""
