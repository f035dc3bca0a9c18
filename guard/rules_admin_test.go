package guard

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
)

var (
	testMe       = common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
	testSafe     = common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906")
	testStranger = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	testUSDC     = common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
)

func TestSafeLibraries(t *testing.T) {
	for _, tc := range []struct {
		have string
		want bool
	}{
		{"Safe MultiSendCallOnly 1.4.1", true},
		{"Safe MultiSendCallOnly 1.3.0 (zkSync)", true},
		{"Safe SignMessageLib 1.5.0", true},
		{"Safe SafeMigration 1.4.1", true},
		{"Safe SafeToL2Migration 1.4.1", true},
		{"Safe SafeToL2Setup 1.5.0", true},
		{"Safe MultiSend 1.4.1", false},
		{"Safe CreateCall 1.4.1", false},
		{"Safe SimulateTxAccessor 1.4.1", false},
		{"Safe MultiSendCallOnlyEvil", false},
		{"", false},
	} {
		if got := adminSafeLibrary(tc.have); got != tc.want {
			t.Errorf("adminSafeLibrary(%q) = %v, want %v", tc.have, got, tc.want)
		}
	}
}

// TestAddressBookCannotBlessDelegatecall: naming an address after a Safe
// library in the address book does not make delegatecalling it safe.
func TestAddressBookCannotBlessDelegatecall(t *testing.T) {
	book, err := label.ParseAddressBook(strings.NewReader(testStranger.Hex()+"  Safe MultiSendCallOnly 1.4.1\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(fixtures, "rules", "TG401-fire-delegatecall-to-unknown.hex"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(b, decode.Options{AddressBook: book, Chain: 1})
	if err != nil {
		t.Fatal(err)
	}
	fs := ruleFindings(t, res, Config{AddressBook: book, Chain: 1}, "TG401")
	if len(fs) != 1 || fs[0].Severity != Critical {
		t.Errorf("TG401 = %v, want one critical finding", fs)
	}
}

func TestSafeGasRefund(t *testing.T) {
	zero := common.Address{}
	usdcToAlice := packABI(t, "erc20", "transfer", common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), big.NewInt(1))
	for _, tc := range []struct {
		name     string
		signer   common.Address // zero: unknown
		gasPrice int64
		token    common.Address
		receiver common.Address
		want     []Level
	}{
		{"no refund", testMe, 0, zero, zero, nil},
		{"fields set but nothing paid", testMe, 0, zero, testStranger, []Level{Caution}},
		{"ETH back to the submitter", testMe, 1e9, zero, zero, nil},
		{"ETH back to the signer by name", testMe, 1e9, zero, testMe, nil},
		{"ETH to a stranger", testMe, 1e9, zero, testStranger, []Level{Danger}},
		{"USDC to the submitter", testMe, 1000, testUSDC, zero, []Level{Caution}},
		{"USDC to a stranger", testMe, 1000, testUSDC, testStranger, []Level{Danger}},
		{"signer unknown, named receiver", zero, 1e9, zero, testMe, []Level{Danger}},
		{"signer unknown, submitter", zero, 1e9, zero, zero, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := packABI(t, "safe", "execTransaction", testUSDC, big.NewInt(0), usdcToAlice, uint8(0),
				big.NewInt(100_000), big.NewInt(50_000), big.NewInt(tc.gasPrice), tc.token, tc.receiver, make([]byte, 65))
			res := decodeRequest(t, tc.signer, testSafe, nil, data)
			var got []Level
			for _, f := range ruleFindings(t, res, Config{Chain: 1}, "TG404") {
				got = append(got, f.Severity)
			}
			if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
				t.Errorf("TG404 levels %v, want %v", got, tc.want)
			}
		})
	}
}

func TestModuleSeverity(t *testing.T) {
	book, err := label.ParseAddressBook(strings.NewReader(testStranger.Hex()+"  Bob\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	compat := common.HexToAddress("0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99")
	for _, tc := range []struct {
		name   string
		method string
		arg    common.Address
		book   *label.AddressBook
		want   Level
	}{
		{"module nobody knows", "enableModule", testStranger, nil, Danger},
		{"module is a contact", "enableModule", testStranger, book, Caution},
		{"guard nobody knows", "setGuard", testStranger, nil, Danger},
		{"guard removed", "setGuard", common.Address{}, nil, Caution},
		{"standard fallback handler", "setFallbackHandler", compat, nil, Info},
		{"token as fallback handler", "setFallbackHandler", testUSDC, nil, Danger},
		{"contact as fallback handler", "setFallbackHandler", testStranger, book, Danger},
		{"fallback handler removed", "setFallbackHandler", common.Address{}, nil, Info},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeRequest(t, testMe, testSafe, nil, packABI(t, "safe", tc.method, tc.arg))
			fs := ruleFindings(t, res, Config{Chain: 1, AddressBook: tc.book}, "TG403")
			if len(fs) != 1 || fs[0].Severity != tc.want {
				t.Errorf("TG403 = %v, want one %s finding", fs, tc.want)
			}
		})
	}
}
