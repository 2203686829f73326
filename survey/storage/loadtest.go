//go:build loadtest

package storage

// LoadtestOpenWithKeyFile opens draft survey id sealed with an AES-GCM key file, as the
// version before the custodians did, so that cmd/loadgen can measure that sealing through the
// real server (loadgen -seal aes). Only a build with -tags loadtest has it: the shipped binary
// cannot make a key file.
func LoadtestOpenWithKeyFile(s *Store, id string) error { return openWithKeyFile(s, id) }
