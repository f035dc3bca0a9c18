package account

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// TestKnownAddresses: the tables name the contracts an operation points
// at, and where the built-in labels do not know one, the Op still names
// it. (The tables' addresses are held to their checksums at start-up.)
func TestKnownAddresses(t *testing.T) {
	if len(KnownEntryPoints) != 4 || len(entryPoints) != 4 || len(KnownSafe4337Modules) != 2 || len(KnownFactories) < 20 {
		t.Fatalf("tables: %d entry points, %d modules, %d factories", len(KnownEntryPoints), len(KnownSafe4337Modules), len(KnownFactories))
	}
	r := newReader(nil, 1)
	for _, tc := range []struct {
		have common.Address
		want string
	}{
		{common.HexToAddress("0x0000000071727De22E5E9d8BAf0edAc6f37da032"), "ERC-4337 EntryPoint v0.7"},
		{common.HexToAddress("0x9406Cc6185a346906296840746125a0E44976454"), "SimpleAccountFactory v0.6"},
		{common.HexToAddress("0x75cf11467937ce3F2f357CE24ffc3DBF8fD5c226"), "Safe 4337 Module 0.3.0"},
		{common.HexToAddress("0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67"), "Safe ProxyFactory 1.4.1"},
		{eip7702Marker, "EIP-7702 marker: no factory, the sender is an EOA with delegated code"},
	} {
		if got := r.addr(tc.have); got.Label != tc.want || got.Source != label.SourceBuiltin {
			t.Errorf("%s: label %q (%s), want %q", tc.have.Hex(), got.Label, got.Source, tc.want)
		}
	}
	// Where decode/label knows a contract of these tables, they agree.
	lab := label.New(1, nil)
	for _, table := range []map[common.Address]string{KnownEntryPoints, KnownFactories, KnownSafe4337Modules} {
		for a, name := range table {
			if got := lab.Addr(a).Label; got != "" && got != name {
				t.Errorf("%s: decode/label says %q, this package %q", a.Hex(), got, name)
			}
		}
	}
}

// TestTableChecksums: every address the tables spell out is EIP-55
// checksummed (mustAddr leaves that to this test).
func TestTableChecksums(t *testing.T) {
	var addrs []string
	for _, e := range entryPointRows {
		addrs = append(addrs, e.addr)
	}
	for _, f := range factoryRows {
		addrs = append(addrs, f.addr)
	}
	for _, m := range moduleRows {
		addrs = append(addrs, m.addr, m.entryPoint)
	}
	if len(addrs) < 25 {
		t.Fatalf("%d table addresses", len(addrs))
	}
	for _, s := range addrs {
		if _, err := label.ParseAddress(s); err != nil {
			t.Error(err)
		}
	}
}
