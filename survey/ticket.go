package survey

// Ticket is what a valid, unused token of an open survey gives access to: its survey and the
// section the token was issued for. The store returns it; the answering pages, which never see
// the store, take it.
type Ticket struct {
	Survey  *Survey
	Section string
}
