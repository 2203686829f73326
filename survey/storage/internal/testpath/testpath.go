// Package testpath carries the store's operations that exist only for tests from package
// storage to package storagetest. They are not methods of storage.Store, so no page and no
// command can call them: Go lets only survey/storage and the packages below it import this
// package, and storagetest, which imports package testing, is for tests only (web's import
// test keeps it out of every non-test file).
//
// Package storage sets the functions when it is initialised; their first argument is a
// *storage.Store (this package cannot name the type without an import cycle).
package testpath

import (
	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
)

var (
	// Unseal calls fn for every sealed response of an open survey, opened with the key the
	// shares rebuild (or a key file of an earlier version), in random order.
	Unseal func(st any, id string, shares []ballot.Share, fn func(*survey.Response) error) error
	// SubmitAll is Submit for many tokens at once, in one transaction: all or none.
	SubmitAll func(st any, tokens []string, rs []*survey.Response) error
	// OpenReadTransactions is the number of read transactions open now.
	OpenReadTransactions func(st any) int
	// CloseSteps sets the function called at the end of each step of every close with the
	// step's name (nil: none), for benchmarks that time the steps.
	CloseSteps func(fn func(step string))
)
