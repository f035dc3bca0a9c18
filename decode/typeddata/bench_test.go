package typeddata

import (
	"strings"
	"testing"
)

// Each hostile request is paired with an honest one of about its size. A
// hostile one that the budget refuses costs what it cost to find out; one
// within it (the last pair) is what a request can ask for at most. Before
// the budget, the absent members (57 KB) took 29 s and 2.4 GB for txguard
// decode, the long type name 8 s and 2.7 GB for decode --json.

func benchParse(b *testing.B, in string, wantErr bool) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse([]byte(in), nil); (err != nil) != wantErr {
			b.Fatalf("error %v, want one: %v", err, wantErr)
		}
	}
}

// BenchmarkHostileTypedDataAbsent: 33 KB, 2,000 "{}" of a type with 1,000
// struct members (2 million absent members shown if followed).
func BenchmarkHostileTypedDataAbsent(b *testing.B) { benchParse(b, absentMembers(1000, 2000), true) }

// BenchmarkHonestTypedDataPermitBatch: 31 KB, Permit2 PermitBatch of 200
// tokens.
func BenchmarkHonestTypedDataPermitBatch(b *testing.B) { benchParse(b, permit2Batch(200), false) }

// BenchmarkHostileTypedDataArrays: 45 KB, uint256[][][][] 12 wide.
func BenchmarkHostileTypedDataArrays(b *testing.B) { benchParse(b, multiDim(4, 12), true) }

// BenchmarkHonestTypedDataSeaport: 45 KB, a Seaport order with 200
// consideration items.
func BenchmarkHonestTypedDataSeaport(b *testing.B) { benchParse(b, seaportListing(200), false) }

// BenchmarkHostileTypedDataLongType: 50 KB, a 20,000-character type name
// on 2,000 elements (40 MB to show).
func BenchmarkHostileTypedDataLongType(b *testing.B) {
	benchParse(b, longTypeName(20000, 2000), true)
}

// BenchmarkHostileTypedDataDeep: 6 KB, a type with 200 members of its own
// type, 60 levels deep.
func BenchmarkHostileTypedDataDeep(b *testing.B) { benchParse(b, deepRecursive(200, 60), true) }

// BenchmarkHonestTypedDataMail: 6 KB, EIP-712's Mail with a 5 KB message.
func BenchmarkHonestTypedDataMail(b *testing.B) {
	benchParse(b, mail("", `{"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"}, "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "`+strings.Repeat("Hello, Bob! ", 420)+`"}`), false)
}

// BenchmarkHostileTypedDataMostValues: 900 KB, 115,000 strings: just
// within the budget, the most values a request can make us build.
func BenchmarkHostileTypedDataMostValues(b *testing.B) {
	list := make([]any, 115000)
	for i := range list {
		list[i] = "aaaaa"
	}
	benchParse(b, request(map[string][]member{"Main": {{"a", "string[]"}}}, map[string]any{"a": list}), false)
}

// BenchmarkHonestTypedDataBulkListing: 1 MB, a Seaport bulk listing of
// 1,024 orders.
func BenchmarkHonestTypedDataBulkListing(b *testing.B) { benchParse(b, seaportBulk(10, 2), false) }
