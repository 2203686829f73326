package storage

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"staffsurvey/survey"
)

// testRecords returns n response records (section "s<i>", one answer) and an opener that
// "opens" them as they are, counting its calls and failing on the record of section fail.
func testRecords(t *testing.T, n int, fail string) ([][]byte, opener, *atomic.Int64) {
	t.Helper()
	var records [][]byte
	for i := range n {
		r := &survey.Response{Survey: "s", Section: "s" + strconv.Itoa(i), Answers: []int8{int8(1 + i%5)}, Satisfaction: survey.NA, ENPS: survey.NA}
		data, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, data)
	}
	var calls atomic.Int64
	open := func(sealed []byte) ([]byte, error) {
		calls.Add(1)
		var r survey.Response
		if err := r.UnmarshalBinary(sealed); err == nil && r.Section == fail {
			return nil, errors.New("cannot open " + fail)
		}
		return sealed, nil
	}
	return records, open, &calls
}

// TestOpenEach: every record is opened once and given to fn once, whatever the order; a
// record that does not open, one that does not decode, or an error of fn stops the opening
// (well before the last record) and is returned; fn never runs on two responses at once.
func TestOpenEach(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // more workers than this machine has cores
	const n = 20000
	t.Run("all", func(t *testing.T) {
		records, open, calls := testRecords(t, n, "")
		seen := make([]int, n)
		var inFn atomic.Int32
		distinct := map[*survey.Response]bool{}
		err := openEach(open, "s", records, func(r *survey.Response) error {
			if inFn.Add(1) != 1 {
				t.Error("fn ran on two responses at once")
			}
			defer inFn.Add(-1)
			i, err := strconv.Atoi(r.Section[1:])
			if err != nil || r.Survey != "s" || len(r.Answers) != 1 || r.Answers[0] != int8(1+i%5) {
				return fmt.Errorf("response %+v", r)
			}
			seen[i]++
			distinct[r] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range seen {
			if k != 1 {
				t.Fatalf("record %d given to fn %d times", i, k)
			}
		}
		if calls.Load() != n {
			t.Errorf("%d records opened; want %d", calls.Load(), n)
		}
		if len(distinct) > n/10 {
			t.Errorf("%d responses for %d records: a close would allocate one per record", len(distinct), n)
		}
	})
	t.Run("a record does not open", func(t *testing.T) {
		records, open, calls := testRecords(t, n, "s100")
		err := openEach(open, "s", records, func(*survey.Response) error { return nil })
		if err == nil || err.Error() != "cannot open s100" {
			t.Errorf("error %v; want the record's", err)
		}
		if calls.Load() > n/2 {
			t.Errorf("%d records opened after the error", calls.Load())
		}
	})
	t.Run("a record does not decode", func(t *testing.T) {
		records, open, _ := testRecords(t, n, "")
		records[50] = []byte{99}
		err := openEach(open, "s", records, func(*survey.Response) error { return nil })
		if err == nil {
			t.Error("a corrupt record decoded")
		}
	})
	t.Run("fn fails", func(t *testing.T) {
		records, open, calls := testRecords(t, n, "")
		k := 0
		err := openEach(open, "s", records, func(*survey.Response) error {
			if k++; k == 10 {
				return errors.New("full")
			}
			return nil
		})
		if err == nil || err.Error() != "full" {
			t.Errorf("error %v; want fn's", err)
		}
		if calls.Load() > n/2 {
			t.Errorf("%d records opened after fn failed", calls.Load())
		}
	})
	t.Run("none", func(t *testing.T) {
		if err := openEach(nil, "s", nil, func(*survey.Response) error { return errors.New("called") }); err != nil {
			t.Error(err)
		}
	})
}
