package storage

// SetHookAfterOpen lets the tests stop a close between opening the box and destroying the key.
func SetHookAfterOpen(fn func() error) { hookAfterOpen = fn }

// SetHookBeforeCompact lets the tests stop an import between its commit and its compaction.
func SetHookBeforeCompact(fn func() error) { hookBeforeCompact = fn }

// SetSyncDir replaces the directory sync of compaction (nil: the real one) and returns the old.
func SetSyncDir(fn func(string) error) func(string) error {
	old := syncDir
	if fn != nil {
		syncDir = fn
	}
	return old
}

// OpenWithKeyFile opens draft survey id as the version before the custodians did
// (openWithKeyFile).
func OpenWithKeyFile(s *Store, id string) error { return openWithKeyFile(s, id) }
