package storage

// SetHookAfterOpen lets the tests stop a close between opening the box and destroying the key.
func SetHookAfterOpen(fn func() error) { hookAfterOpen = fn }
