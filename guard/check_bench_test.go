package guard

import (
	"os"
	"testing"

	"github.com/txguard/txguard/decode"

	corpus "github.com/txguard/txguard/fixtures"
)

// BenchmarkCheck is every rule over every shipped transaction, call,
// request and benign input, each decoded once beforehand: the rules'
// share of a batch, whose other share BenchmarkBatchMixed/decode-without-
// rules measures. Check/TGnnn is one rule alone, with the Context it
// builds (lookups shared by several rules are paid by each).
func BenchmarkCheck(b *testing.B) {
	// The user of .ci/measure-batch: an address book, no deny list of
	// their own, no --chain.
	book, _ := corpus.Books(b, fixtures)
	cfg := Config{AddressBook: book, Now: fixedNow}
	var ins []*decode.Result
	for _, path := range corpus.Inputs(b, fixtures, "tx", "calls", "request", "benign") {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		res, err := decode.Decode(raw, decode.Options{Kind: decode.Kind(corpus.KindOf(path)), AddressBook: cfg.AddressBook, Chain: cfg.Chain})
		if err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		ins = append(ins, res)
	}
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			for _, in := range ins {
				Check(in, cfg)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ins)), "ns/input")
	})
	for i := range registry {
		r := &registry[i]
		b.Run(r.ID, func(b *testing.B) {
			for b.Loop() {
				for _, in := range ins {
					r.check(newContext(in, cfg), r)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ins)), "ns/input")
		})
	}
}
