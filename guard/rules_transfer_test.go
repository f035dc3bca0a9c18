package guard

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
)

func TestLookAlike(t *testing.T) {
	alice := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	for _, tc := range []struct {
		name       string
		have       string
		head, tail int
		want       bool
	}{
		{"same address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 0, 0, false},
		{"four and four", "0x7099000000000000000000000000000000a079C8", 4, 4, true},
		{"lower case is the same address", "0x7099000000000000000000000000000000a079c8", 4, 4, true},
		{"longer match both ends", "0x7099797000000000000000000000000e17dc79C8", 8, 8, true},
		{"three leading digits", "0x7098000000000000000000000000000000a079C8", 3, 4, false},
		{"three trailing digits", "0x7099000000000000000000000000000000a07AC8", 4, 2, false},
		{"suffix only", "0x1111000000000000000000000000000000a079C8", 0, 4, false},
		{"prefix only", "0x7099000000000000000000000000000000000000", 4, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head, tail, ok := xferLookAlike(common.HexToAddress(tc.have), alice)
			if ok != tc.want || head != tc.head || tail != tc.tail {
				t.Errorf("xferLookAlike(%s) = %d, %d, %v; want %d, %d, %v", tc.have, head, tail, ok, tc.head, tc.tail, tc.want)
			}
		})
	}
}

func TestScanFindsPackedAddresses(t *testing.T) {
	a := common.HexToAddress("0x000000000000000000000000000000000000bEEF")
	for _, tc := range []struct {
		name string
		have []byte
		want bool
	}{
		{"ABI word", append(make([]byte, 12), a.Bytes()...), true},
		{"packed at odd offset", append(append([]byte{1, 2, 3}, a.Bytes()...), 0xf4), true},
		{"truncated", a.Bytes()[:19], false},
		{"empty", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			book, err := label.NewAddressBook([]label.Entry{{Address: a, Label: "test drainer"}})
			if err != nil {
				t.Fatal(err)
			}
			may := new(label.Prefixes)
			book.AddPrefixes(may)
			found := false
			xferScan(tc.have, may, func(b common.Address) { found = found || b == a })
			if found != tc.want {
				t.Errorf("found = %v, want %v", found, tc.want)
			}
		})
	}
}

func TestWrapsNative(t *testing.T) {
	for _, tc := range []struct {
		chain uint64
		have  label.Token
		want  bool
	}{
		{1, label.Token{Symbol: "WETH"}, true},
		{1, label.Token{Symbol: "USDC"}, false},
		{56, label.Token{Symbol: "WBNB"}, true},
		{56, label.Token{Symbol: "WETH"}, false}, // bridged ETH: a plain BNB send is lost
		{137, label.Token{Symbol: "WMATIC"}, true},
		{146, label.Token{Symbol: "wS"}, true},
		{43114, label.Token{Symbol: "WETH.e"}, false},
	} {
		c := newContext(&decode.Result{}, Config{Chain: tc.chain})
		if got := xferWrapsNative(c, tc.have); got != tc.want {
			t.Errorf("chain %d %s: wraps native = %v, want %v", tc.chain, tc.have.Symbol, got, tc.want)
		}
	}
}

// TestContexts: inside a Safe batch the Safe is the sender, a
// delegatecall runs as its caller.
func TestContexts(t *testing.T) {
	signer := common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
	safe := label.Addr{Address: common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906")}
	multi := label.Addr{Address: common.HexToAddress("0x9641d764fc13c8B624c04430C7356C1C7C8102e2")}
	usdc := label.Addr{Address: common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")}
	leaf := &calldata.Call{Path: "call.calls[0].calls[0]", Kind: calldata.KindCall, Target: &usdc, Operation: calldata.OpCall}
	batch := &calldata.Call{Path: "call.calls[0]", Kind: calldata.KindCall, Target: &multi, Operation: calldata.OpDelegateCall, Calls: []*calldata.Call{leaf}}
	root := &calldata.Call{Path: "call", Kind: calldata.KindCall, Target: &safe, Calls: []*calldata.Call{batch}}
	c := newContext(&decode.Result{Tx: &tx.Tx{Call: root}}, Config{})
	got := xferContexts(c, signer)
	for _, tc := range []struct {
		call         *calldata.Call
		sender, self common.Address
	}{
		{root, signer, safe.Address},
		{batch, safe.Address, safe.Address},
		{leaf, safe.Address, usdc.Address},
	} {
		if have := got[tc.call]; have.sender != tc.sender || have.self != tc.self {
			t.Errorf("%s: sender %s self %s; want %s, %s", tc.call.Path, have.sender, have.self, tc.sender, tc.self)
		}
	}
}

// TestPoisoningOfOwnAccount: with an empty address book, a look-alike of
// the signing account itself is still caught.
func TestPoisoningOfOwnAccount(t *testing.T) {
	me := common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
	twin := common.HexToAddress("0xf39F000000000000000000000000000000002266")
	res := decodeRequest(t, me, twin, nil, nil)
	v := Check(res, Config{Chain: 1, Now: fixedNow})
	i := slices.IndexFunc(v.Findings, func(f Finding) bool { return f.Rule == "TG301" })
	if i < 0 || v.Findings[i].Severity != Critical || !strings.Contains(v.Findings[i].Explanation, "your own account") {
		t.Fatalf("findings %v; want TG301 critical naming your own account", v.Findings)
	}
}

func TestTransferFromNeedsASigner(t *testing.T) {
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	alice := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	data := packABI(t, "erc20", "transferFrom", alice, usdc, big.NewInt(1))
	res := decodeRequest(t, common.Address{}, usdc, nil, data)
	if fs := ruleFindings(t, res, Config{Chain: 1}, "TG303"); len(fs) != 0 {
		t.Errorf("no signer: TG303 = %v, want nothing", fs)
	}
	signer := common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
	if fs := ruleFindings(t, res, Config{Chain: 1, Signer: &signer}, "TG303"); len(fs) != 1 {
		t.Errorf("--from given: TG303 = %v, want one finding", fs)
	}
}

// TestDenySeed: the embedded seed parses, and every row says why.
func TestDenySeed(t *testing.T) {
	seed := denySeed()
	if seed.Len() < 10 {
		t.Fatalf("deny seed has %d entries", seed.Len())
	}
	for _, e := range seed.Entries() {
		if !strings.HasPrefix(e.Label, "OFAC SDN: ") {
			t.Errorf("%s: reason %q does not name its list", e.Address.Hex(), e.Label)
		}
	}
	lazarus := common.HexToAddress("0x098B716B8Aaf21512996dC57EB0615e2383E2f96")
	c := newContext(&decode.Result{}, Config{})
	if why, ok := c.Denied(lazarus); !ok || !strings.Contains(why, "LAZARUS") {
		t.Errorf("Denied(%s) = %q, %v", lazarus.Hex(), why, ok)
	}
}

// --- helpers shared with rules_admin_test.go ---

// decodeRequest decodes an eth_sendTransaction request on mainnet; a zero
// from leaves the signer unknown.
func decodeRequest(t testing.TB, from, to common.Address, value *big.Int, data []byte) *decode.Result {
	t.Helper()
	req := map[string]any{"to": to.Hex(), "chainId": "0x1", "data": hexutil.Encode(data)}
	if from != (common.Address{}) {
		req["from"] = from.Hex()
	}
	if value != nil {
		req["value"] = hexutil.EncodeBig(value)
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(b, decode.Options{Kind: decode.KindRequest, Chain: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func packABI(t testing.TB, family, method string, args ...any) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "decode", "calldata", "abis", family+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := abi.JSON(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.Pack(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ruleFindings(t testing.TB, res *decode.Result, cfg Config, id string) []Finding {
	t.Helper()
	if cfg.Now.IsZero() {
		cfg.Now = fixedNow
	}
	var out []Finding
	for _, f := range Check(res, cfg).Findings {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}

// xferLookAlikeByText is xferLookAlike as it was first written, on the
// lower-cased checksummed text: the nibble version must agree with it.
func xferLookAlikeByText(a, b common.Address) (head, tail int, ok bool) {
	if a == b {
		return 0, 0, false
	}
	x, y := strings.ToLower(a.Hex()[2:]), strings.ToLower(b.Hex()[2:])
	for head < len(x) && x[head] == y[head] {
		head++
	}
	for tail < len(x) && x[len(x)-1-tail] == y[len(y)-1-tail] {
		tail++
	}
	return head, tail, head >= xferLookAlikeDigits && tail >= xferLookAlikeDigits
}

func FuzzLookAlike(f *testing.F) {
	alice := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	f.Add(alice.Bytes(), alice.Bytes())
	f.Add(common.HexToAddress("0x7099000000000000000000000000000000a079C8").Bytes(), alice.Bytes())
	f.Add(common.HexToAddress("0x7099797000000000000000000000000e17dc79C8").Bytes(), alice.Bytes())
	f.Add(common.HexToAddress("0x7098000000000000000000000000000000a079C9").Bytes(), alice.Bytes())
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, b := common.BytesToAddress(x), common.BytesToAddress(y)
		h1, t1, ok1 := xferLookAlike(a, b)
		h2, t2, ok2 := xferLookAlikeByText(a, b)
		if h1 != h2 || t1 != t2 || ok1 != ok2 {
			t.Errorf("xferLookAlike(%s, %s) = %d, %d, %v; by text %d, %d, %v", a, b, h1, t1, ok1, h2, t2, ok2)
		}
	})
}
