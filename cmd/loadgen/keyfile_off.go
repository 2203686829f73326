//go:build !loadtest

package main

import "errors"

// openWithKeyFile needs the storage package's key-file opening, which only a build with -tags
// loadtest has (keyfile.go).
func openWithKeyFile(db, id string) error {
	return errors.New("-seal aes: build loadgen with -tags loadtest (go build -tags loadtest ./cmd/loadgen)")
}
