package label

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

var (
	permit2       = common.HexToAddress("0x000000000022D473030F116dDEE9F6B43aC78BA3")
	permit2ZkSync = common.HexToAddress("0x0000000000225e31D15943971F47aD3022F714Fa")
	mainnetWETH   = common.HexToAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
	opWETH        = common.HexToAddress("0x4200000000000000000000000000000000000006")
	urV4Mainnet   = common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af")
	friend        = common.HexToAddress("0x1111111111111111111111111111111111111111")
)

func testBook(t *testing.T) *AddressBook {
	t.Helper()
	b, err := ParseAddressBook(strings.NewReader(
		"0x000000000022D473030F116dDEE9F6B43aC78BA3 my permit2\n"+
			"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 my weth\n"+
			"0x1111111111111111111111111111111111111111 friend\n"), "book")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLabelerAddr(t *testing.T) {
	book := testBook(t)
	tests := []struct {
		name  string
		chain uint64
		book  *AddressBook
		have  common.Address
		want  Addr
	}{
		{"book wins over every-chain contract", 1, book, permit2, Addr{permit2, "my permit2", SourceAddressBook}},
		{"book wins over token", 1, book, mainnetWETH, Addr{mainnetWETH, "my weth", SourceAddressBook}},
		{"book on unknown chain", 0, book, friend, Addr{friend, "friend", SourceAddressBook}},
		{"every-chain contract", 1, nil, permit2, Addr{permit2, "Uniswap Permit2", SourceBuiltin}},
		{"every-chain contract on unknown chain", 0, nil, permit2, Addr{permit2, "Uniswap Permit2", SourceBuiltin}},
		{"every-chain contract on a chain not on the list", 987654321, nil, permit2, Addr{permit2, "Uniswap Permit2", SourceBuiltin}},
		{"per-chain contract", 1, nil, urV4Mainnet, Addr{urV4Mainnet, "Uniswap Universal Router 2.0", SourceBuiltin}},
		{"per-chain contract on unknown chain", 0, nil, urV4Mainnet, Addr{Address: urV4Mainnet}},
		{"per-chain contract on another chain", 10, nil, urV4Mainnet, Addr{Address: urV4Mainnet}},
		{"per-chain address of a every-chain contract", 324, nil, permit2ZkSync, Addr{permit2ZkSync, "Uniswap Permit2", SourceBuiltin}},
		{"token", 1, nil, mainnetWETH, Addr{mainnetWETH, "Wrapped Ether (WETH)", SourceToken}},
		{"token on unknown chain", 0, nil, mainnetWETH, Addr{Address: mainnetWETH}},
		{"token on another chain", 10, nil, mainnetWETH, Addr{Address: mainnetWETH}},
		{"same address, per chain", 10, nil, opWETH, Addr{opWETH, "Wrapped Ether (WETH)", SourceToken}},
		{"unknown", 1, book, unknownAddr, Addr{Address: unknownAddr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New(tt.chain, tt.book).Addr(tt.have)
			if got != tt.want {
				t.Errorf("Addr(%s) on %d = %+v, want %+v", tt.have.Hex(), tt.chain, got, tt.want)
			}
			if got.Known() != (tt.want.Label != "") {
				t.Errorf("Known() = %v with label %q", got.Known(), got.Label)
			}
		})
	}
}

func TestLabelerToken(t *testing.T) {
	tests := []struct {
		name   string
		chain  uint64
		have   common.Address
		want   Token
		wantOK bool
	}{
		{"known", 1, mainnetUSDC, Token{"USDC", 6, "USDCoin"}, true},
		{"unknown chain", 0, mainnetUSDC, Token{}, false},
		{"other chain", 137, mainnetUSDC, Token{}, false},
		{"contract is not a token", 1, urV4Mainnet, Token{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := New(tt.chain, nil).Token(tt.have)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Token = %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLabelerOnChain(t *testing.T) {
	book := testBook(t)
	l1 := New(1, book)
	l10 := l1.OnChain(10)
	friend := common.HexToAddress("0x1111111111111111111111111111111111111111")
	if got := l10.Addr(friend); l10.Chain() != 10 || got.Label != "friend" || got.Source != SourceAddressBook {
		t.Fatalf("OnChain(10) = chain %d, friend labelled %+v; want chain 10 and the same address book", l10.Chain(), got)
	}
	if l1.Chain() != 1 {
		t.Errorf("OnChain changed the original's chain to %d", l1.Chain())
	}
	if got := l10.Addr(opWETH).Label; got != "Wrapped Ether (WETH)" {
		t.Errorf("OP WETH on 10 = %q", got)
	}
	if got := l1.Addr(opWETH).Label; got != "" {
		t.Errorf("OP WETH on 1 = %q, want no label", got)
	}
	if got := l10.Addr(friend).Label; got != "friend" {
		t.Errorf("book entry after OnChain = %q, want friend", got)
	}
	if got := l10.Native(); got != "ETH" {
		t.Errorf("Native on 10 = %q", got)
	}
	if got := l1.OnChain(137).Native(); got != "POL" {
		t.Errorf("Native on 137 = %q", got)
	}
}

func TestAddrString(t *testing.T) {
	tests := []struct {
		name string
		have Addr
		want string
	}{
		{"known", Addr{permit2, "Uniswap Permit2", SourceBuiltin}, "0x000000000022D473030F116dDEE9F6B43aC78BA3 (Uniswap Permit2)"},
		{"unknown", Addr{Address: unknownAddr}, "0x00000000000000000000000000000000DeaDBeef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.have.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAddrJSON(t *testing.T) {
	tests := []struct {
		name string
		have Addr
		want string
	}{
		{"labelled", Addr{permit2, "Uniswap Permit2", SourceBuiltin}, `{"address":"0x000000000022D473030F116dDEE9F6B43aC78BA3","label":"Uniswap Permit2","source":"builtin"}`},
		{"unlabelled", Addr{Address: mainnetWETH}, `{"address":"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.have.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("MarshalJSON = %s, want %s", b, tt.want)
			}
			var back Addr
			if err := back.UnmarshalJSON(b); err != nil {
				t.Fatal(err)
			}
			if back != tt.have {
				t.Errorf("round trip = %+v, want %+v", back, tt.have)
			}
		})
	}
}
