//go:build loadtest

package main

import "staffsurvey/survey/storage"

// openWithKeyFile opens draft survey id of the database at db with an AES-GCM key file, as the
// version before the custodians did (-seal aes).
func openWithKeyFile(db, id string) error {
	st, err := storage.Open(db)
	if err != nil {
		return err
	}
	err = storage.LoadtestOpenWithKeyFile(st, id)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}
