package survey_test

import (
	"bytes"
	"testing"

	"staffsurvey/survey"
)

func FuzzUnmarshalBinary(f *testing.F) {
	q, err := survey.Parse("q.yaml", []byte(minimal+"comments:\n  - {id: good, text: {ja: 良い点}}\n"))
	if err != nil {
		f.Fatal(err)
	}
	r := survey.NewResponse(q, "a")
	r.Answers[0], r.ENPS, r.Comments[0] = 3, 0, "よい職場"
	data, _ := r.MarshalBinary()
	f.Add(data)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got survey.Response
		if err := got.UnmarshalBinary(b); err != nil {
			return
		}
		// Whatever decodes, encodes and decodes again to the same response.
		again, _ := got.MarshalBinary()
		var back survey.Response
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded %x does not decode: %v", again, err)
		}
		if back.Section != got.Section || !bytes.Equal(int8Bytes(back.Answers), int8Bytes(got.Answers)) ||
			back.Satisfaction != got.Satisfaction || back.ENPS != got.ENPS || len(back.Comments) != len(got.Comments) {
			t.Fatalf("decode, encode, decode: %+v → %+v", got, back)
		}
		for i := range got.Comments {
			if back.Comments[i] != got.Comments[i] {
				t.Fatalf("comment %d: %q → %q", i, got.Comments[i], back.Comments[i])
			}
		}
	})
}

func int8Bytes(xs []int8) []byte {
	b := make([]byte, len(xs))
	for i, x := range xs {
		b[i] = byte(x)
	}
	return b
}
