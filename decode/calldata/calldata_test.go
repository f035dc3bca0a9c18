package calldata

import (
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/txguard/txguard/decode/label"
)

func testLabels() *label.Labeler { return label.New(1, nil) }

// fixtureTx reads a transaction fixture from fixtures/calls.
func fixtureTx(t testing.TB, name string) *types.Transaction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../fixtures/calls", name+".hex"))
	if err != nil {
		t.Fatal(err)
	}
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(hexutil.MustDecode(strings.TrimSpace(string(b)))); err != nil {
		t.Fatal(err)
	}
	return tx
}

func seeds(t testing.TB) [][]byte {
	files, err := filepath.Glob("../../fixtures/calls/*.hex")
	if err != nil || len(files) == 0 {
		t.Fatalf("no call fixtures: %v", err)
	}
	var out [][]byte
	for _, f := range files {
		out = append(out, fixtureTx(t, strings.TrimSuffix(filepath.Base(f), ".hex")).Data())
	}
	return out
}

func decodeFixture(t *testing.T, name string) *Call {
	tx := fixtureTx(t, name)
	return New(nil).WithLabels(testLabels()).Decode(tx.To(), tx.Value(), tx.Data())
}

// names lists "path name" for every call, depth first.
func names(c *Call) []string {
	var out []string
	c.Walk(func(c *Call) { out = append(out, c.Path+" "+c.Name) })
	return out
}

func TestNested(t *testing.T) {
	for _, tc := range []struct {
		have string
		want []string
	}{
		{"multicall3-hidden-approve", []string{"call aggregate3", "call.calls[0] transfer", "call.calls[1] approve", "call.calls[2] deposit"}},
		{"safe-delegatecall-multisend", []string{"call execTransaction", "call.calls[0] multiSend", "call.calls[0].calls[0] approve", "call.calls[0].calls[1] transfer"}},
		{"universal-router-swap", []string{"call execute", "call.calls[0] WRAP_ETH", "call.calls[1] V3_SWAP_EXACT_IN", "call.calls[2] PAY_PORTION", "call.calls[3] SWEEP"}},
		{"universal-router-permit2", []string{"call execute", "call.calls[0] PERMIT2_PERMIT", "call.calls[1] EXECUTE_SUB_PLAN", "call.calls[1].calls[0] UNWRAP_WETH"}},
		{"entrypoint-handleops", []string{"call handleOps", "call.calls[0] execute", "call.calls[0].calls[0] transfer"}},
		{"erc7821-batch", []string{"call execute", "call.calls[0] approve", "call.calls[1] transfer of native currency"}},
		{"uniswap-v3-multicall", []string{"call multicall", "call.calls[0] exactInputSingle"}},
		{"smart-account-execute-batch", []string{"call executeBatch", "call.calls[0] transfer", "call.calls[1] deposit"}},
		{"proxy-upgrade-and-call", []string{"call upgradeToAndCall", "call.calls[0] transferOwnership"}},
	} {
		t.Run(tc.have, func(t *testing.T) {
			if got := names(decodeFixture(t, tc.have)); !slices.Equal(got, tc.want) {
				t.Errorf("calls = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOperationsAndHumanValues(t *testing.T) {
	safe := decodeFixture(t, "safe-delegatecall-multisend")
	if op := safe.Calls[0].Operation; op != OpDelegateCall {
		t.Errorf("Safe inner operation = %q, want delegatecall", op)
	}
	approve := safe.Calls[0].Calls[0]
	if approve.Target.Label == "" || approve.Source != "erc20" {
		t.Errorf("approve target %v source %q, want a labelled token read as erc20", approve.Target, approve.Source)
	}
	for _, tc := range []struct {
		fixture string
		path    []int
		arg     string
		want    string
	}{
		{"erc20-approve-unlimited", nil, "amount", "unlimited USDC"},
		{"erc20-transfer", nil, "amount", "1,500 USDC"},
		{"weth-withdraw", nil, "wad", "2 WETH"},
		{"universal-router-swap", []int{1}, "amountOutMin", "3,000 USDC"},
		{"universal-router-swap", []int{1}, "path", "WETH →(0.05%) USDC"},
		{"universal-router-swap", nil, "deadline", "2026-01-01 00:00:00 UTC"},
		{"uniswap-v2-swap-eth", nil, "amountOutMin", "2,900 USDC"},
		{"uniswap-v2-swap-eth", nil, "path", "WETH → USDC"},
		{"permit2-approve", nil, "amount", "100 USDC"},
	} {
		c := decodeFixture(t, tc.fixture)
		for _, i := range tc.path {
			c = c.Calls[i]
		}
		a, ok := c.Arg(tc.arg)
		if !ok {
			t.Errorf("%s: no argument %q", tc.fixture, tc.arg)
			continue
		}
		if a.Human != tc.want {
			t.Errorf("%s %s: human = %q, want %q", tc.fixture, tc.arg, a.Human, tc.want)
		}
	}
}

func TestAmbiguity(t *testing.T) {
	approve := common.FromHex("0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bc0000000000000000000000000000000000000000000000000000000000000001")
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	unknown := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	d := New(nil).WithLabels(testLabels())
	if c := d.Decode(&usdc, nil, approve); len(c.Ambiguous) != 0 || c.Source != "erc20" {
		t.Errorf("approve on USDC: source %q ambiguous %q, want erc20 and no ambiguity", c.Source, c.Ambiguous)
	}
	c := d.Decode(&unknown, nil, approve)
	if len(c.Ambiguous) != 1 || !strings.HasPrefix(c.Ambiguous[0], "erc721: approve(address to, uint256 tokenId)") {
		t.Errorf("approve on an unknown contract: ambiguous = %q, want the ERC-721 reading", c.Ambiguous)
	}
}

// TestPick checks the collision rule on two readings of one selector:
// the one that re-encodes to the same bytes wins; both exact is ambiguous.
func TestPick(t *testing.T) {
	uintArg, _ := abi.NewType("uint256", "", nil)
	addrArg, _ := abi.NewType("address", "", nil)
	foo := abi.NewMethod("foo", "foo", abi.Function, "", false, false, abi.Arguments{{Name: "n", Type: uintArg}}, nil)
	bar := abi.NewMethod("bar", "bar", abi.Function, "", false, false, abi.Arguments{{Name: "who", Type: addrArg}}, nil)
	cands := []candidate{{&bar, "user"}, {&foo, "4byte"}}
	d := New(nil)
	for _, tc := range []struct {
		name          string
		have          string
		wantSig       string
		wantAmbiguous int
	}{
		{"only the uint re-encodes", "0x0000000000000000000000010000000000000000000000000000000000000001", "foo(uint256)", 0},
		{"both re-encode", "0x0000000000000000000000000000000000000000000000000000000000000001", "bar(address)", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chosen, _, others, exact := d.pick(&Call{}, cands, common.FromHex(tc.have))
			if chosen == nil || chosen.method.Sig != tc.wantSig || !exact || len(others) != tc.wantAmbiguous {
				t.Errorf("chosen %v exact %v others %q; want %s with %d others", chosen, exact, others, tc.wantSig, tc.wantAmbiguous)
			}
		})
	}
}

func TestUserABI(t *testing.T) {
	user, err := ParseABI([]byte(`{"abi":[
		{"type":"function","name":"transfer","inputs":[{"name":"dst","type":"address"},{"name":"wad","type":"uint256"}]},
		{"type":"function","name":"claim","inputs":[{"name":"who","type":"address"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := New(user).WithLabels(testLabels())
	// The same signature as ERC-20's transfer: the standard reading stays,
	// so the rules keep seeing an ERC-20 transfer.
	tx := fixtureTx(t, "erc20-transfer")
	if c := d.Decode(tx.To(), nil, tx.Data()); c.Source != "erc20" || c.Args[0].Name != "to" {
		t.Errorf("transfer: source %q first arg %q, want the curated ERC-20 reading", c.Source, c.Args[0].Name)
	}
	// A function the curated ABIs do not have: the user's ABI names it.
	claim, err := user.Pack("claim", common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"))
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Decode(tx.To(), nil, claim); c.Source != "user" || c.Args[0].Name != "who" {
		t.Errorf("claim: source %q first arg %q, want the user's ABI", c.Source, c.Args[0].Name)
	}
}

func TestParseABIErrors(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{`{"bytecode":"0x"}`, `calldata: JSON object has no "abi" field`},
		{`[{"type":"event","name":"X","inputs":[]}]`, "calldata: ABI has no functions"},
		{`[{"type":"function","name":"f","inputs":[{"type":"foo"}]}]`, "calldata: ABI: "},
		{`nope`, "calldata: ABI: "},
	} {
		if _, err := ParseABI([]byte(tc.have)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseABI(%s) = %v, want %q", tc.have, err, tc.want)
		}
	}
}

func TestMalformedContainers(t *testing.T) {
	router := common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af")
	mc := common.HexToAddress("0x9641d764fc13c8B624c04430C7356C1C7C8102e2")
	ur, _ := abiOf(t, "universal_router").Pack("execute", []byte{0x0b, 0x0b}, [][]byte{{}})
	ms, _ := abiOf(t, "safe_multisend").Pack("multiSend", []byte{0x00, 0x01, 0x02})
	unknownCmd, _ := abiOf(t, "universal_router").Pack("execute", []byte{0x3f}, [][]byte{{0x01}})
	d := New(nil).WithLabels(testLabels())
	for _, tc := range []struct {
		name   string
		target common.Address
		data   []byte
		want   string
	}{
		{"commands and inputs differ", router, ur, "Universal Router: 2 commands but 1 inputs"},
		{"truncated MultiSend", mc, ms, "MultiSend batch truncated at byte 0"},
		{"unknown command", router, unknownCmd, "unknown Universal Router command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errs []string
			d.Decode(&tc.target, nil, tc.data).Walk(func(c *Call) {
				if c.Error != "" {
					errs = append(errs, c.Error)
				}
			})
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, tc.want) }) {
				t.Errorf("errors %q, want one starting %q", errs, tc.want)
			}
		})
	}
}

// TestDepthLimit nests multicall(bytes[]) far deeper than MaxDepth.
func TestDepthLimit(t *testing.T) {
	mc := abiOf(t, "uniswap_v3_router")
	data := common.FromHex("0xd0e30db0") // deposit()
	for range 3 * MaxDepth {
		var err error
		if data, err = mc.Pack("multicall1", [][]byte{data}); err != nil {
			t.Fatal(err)
		}
	}
	target := common.HexToAddress("0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45")
	c := New(nil).Decode(&target, big.NewInt(0), data)
	depth := 0
	for len(c.Calls) > 0 {
		c = c.Calls[0]
		depth++
	}
	if depth != MaxDepth+1 || !strings.HasPrefix(c.Error, "nested deeper than") {
		t.Errorf("stopped at depth %d with %q, want %d and the depth error", depth, c.Error, MaxDepth+1)
	}
}

func abiOf(t testing.TB, family string) abi.ABI {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("abis", family+".json"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseABI(b)
	if err != nil {
		t.Fatal(err)
	}
	return *parsed
}

// TestURTables: both versions hold the shared commands plus their own
// (22 and 31 commands, per Uniswap's Commands.sol and the SDK).
func TestURTables(t *testing.T) {
	for _, tc := range []struct {
		name  string
		have  map[byte]urCommand
		want  int
		probe byte
		named string
	}{
		{"2.x", urCommandsV2, 22, 0x10, "V4_SWAP"},
		{"1.2", urCommandsV1, 31, 0x10, "SEAPORT_V1_5"},
	} {
		if len(tc.have) != tc.want || tc.have[tc.probe].name != tc.named || tc.have[0x00].name != "V3_SWAP_EXACT_IN" || tc.have[0x21].name != "EXECUTE_SUB_PLAN" {
			t.Errorf("%s: %d commands, 0x%02x = %q", tc.name, len(tc.have), tc.probe, tc.have[tc.probe].name)
		}
	}
}

// formatUTC agrees with time's own layout over the whole range when
// formats: 1970 to 9999, every field's carry.
func TestFormatUTC(t *testing.T) {
	const layout = "2006-01-02 15:04:05 UTC"
	for _, sec := range []int64{1, 59, 60, 3599, 3600, 86399, 86400, 951782400, 1735689599, 1735689600, 4102444800, 253402300799} {
		tm := time.Unix(sec, 0).UTC()
		if got, want := formatUTC(tm), tm.Format(layout); got != want {
			t.Errorf("formatUTC(%d) = %q, want %q", sec, got, want)
		}
	}
	for sec := int64(1); sec < 253402300799; sec += 7777777 + sec/3 {
		tm := time.Unix(sec, 0).UTC()
		if got, want := formatUTC(tm), tm.Format(layout); got != want {
			t.Fatalf("formatUTC(%d) = %q, want %q", sec, got, want)
		}
	}
}
