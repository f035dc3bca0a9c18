package guard

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/tx"
)

// knownDelegate is an EIP-7702 delegate that a wallet or account SDK
// installs for its users: code many people run and auditors have read.
type knownDelegate struct {
	addr common.Address
	name string
	// chains lists where the source uses this address; nil: the source
	// uses it on every chain, with no condition on the chain id.
	chains []uint64
}

// knownDelegates is the allowlist of well-known EIP-7702 delegates. Every
// address was read from the package named above it (installed from the npm
// registry at that version) and checksummed with viem's getAddress; none
// was typed from memory. Each is listed on the chains its source names.
// Looked for and not found in any package: Coinbase Smart Wallet's 7702
// proxy (@coinbase/cdp-sdk@1.57.0 creates delegations server-side and ships
// no address), Ambire, Safe (@safe-global/safe-deployments@1.37.63 and
// safe-modules-deployments@3.0.10 have no 7702 contract) and Porto
// (porto@0.2.37 asks its relay at run time).
var knownDelegates = []knownDelegate{
	// @metamask/delegation-deployments@2.0.0 DELEGATOR_CONTRACTS["1.3.0"][chain].EIP7702StatelessDeleGatorImpl
	// (the same address decode/label/data/contracts.tsv labels).
	{common.HexToAddress("0x63c0c19a282a1B52b07dD5a65b58948A07DAE32B"), "MetaMask EIP-7702 Delegator", []uint64{
		1, 10, 56, 97, 100, 130, 137, 143, 146, 1155, 1301, 1328, 1329, 2020, 4114, 4217, 4326, 4663, 5000, 5003,
		5115, 6343, 8453, 10143, 10200, 13579, 14601, 42161, 42170, 42220, 42431, 46630, 57073, 59141, 59144,
		80002, 80069, 80094, 84532, 202601, 421614, 560048, 737373, 747474, 763373, 5042002, 11142220, 11155111,
		11155420}},
	// @uniswap/smart-wallet-sdk@2.1.1 dist/esm/src/constants.js SMART_WALLET_VERSIONS (Calibur):
	// "v1.0.0-staging", which the SDK marks "latest" on these chains ...
	{common.HexToAddress("0x3cbad1E3B9049eCDb9588Fb48Dd61D80Faf41Bd5"), "Uniswap Calibur v1.0.0", []uint64{
		1, 10, 56, 130, 1301, 8453, 11155111}},
	// ... and "v0.3.0-audit.2".
	{common.HexToAddress("0x458f5a9f47A01beA5d7A32662660559D9eD3312c"), "Uniswap Calibur v0.3.0", []uint64{
		1, 56, 130, 480, 1301, 8453, 42161, 7777777, 11155111}},
	// @rainbow-me/delegation@0.3.2 dist/index.js RAINBOW_CALIBUR_CANONICAL_ADDRESS on the chains of
	// DELEGATION_ADDRESSES (viem/chains mainnet base optimism arbitrum polygon bsc katana ink unichain
	// celo gnosis berachain).
	{common.HexToAddress("0x612373D7003d694220f7800EeaF8E3924c0951D3"), "Rainbow Calibur", []uint64{
		1, 10, 56, 100, 130, 137, 8453, 42161, 42220, 57073, 80094, 747474}},
	// @zerodev/sdk@5.5.10 constants.ts KERNEL_7702_DELEGATION_ADDRESS (Kernel v0.3.3
	// accountImplementationAddress; permissionless@0.4.1 accounts/kernel ACCOUNT_LOGIC "0.3.3" agrees).
	{common.HexToAddress("0xd6CEDDe84be40893d153Be9d467CD6aD37875b28"), "ZeroDev Kernel v3.3 (EIP-7702)", nil},
	// viem@2.57.20 account-abstraction/accounts/implementations/toSimple7702SmartAccount.ts, the default
	// implementation for EntryPoint 0.8 (permissionless@0.4.1 accounts/simple/toSimpleSmartAccount.ts
	// accountLogicAddress agrees) ...
	{common.HexToAddress("0xe6Cae83BdE06E4c305530e199D7217f42808555B"), "Simple7702Account (EntryPoint v0.8)", nil},
	// ... and for EntryPoint 0.9.
	{common.HexToAddress("0xa46cc63eBF4Bd77888AA327837d20b23A63a56B5"), "Simple7702Account (EntryPoint v0.9)", nil},
	// @account-kit/smart-contracts@4.88.5 dist/esm/src/ma-v2/utils.js getDefaultSMAV27702Address
	// (the same address for every chain, "default:" included).
	{common.HexToAddress("0x69007702764179f14F51cdce752f4f775d74E139"), "Alchemy Modular Account v2 (EIP-7702)", nil},
}

// authChain is the chain an authorization takes effect on: its own chain
// id, or for a chain-0 authorization the chain of the input (0: unknown).
func authChain(c *Context, a tx.Authorization) uint64 {
	if !a.AnyChain {
		id, err := strconv.ParseUint(a.ChainID, 10, 64)
		if err != nil {
			return 0 // above 2^64: no chain txguard knows
		}
		return id
	}
	return chainOf(c.In, c.cfg)
}

// wellKnownDelegate names a's delegate when it is on the allowlist for
// the chain the authorization takes effect on, or one of the user's
// contacts. A builtin label alone is not enough: a router or a token is
// well known, and delegating an account to it is still wrong.
func wellKnownDelegate(c *Context, a tx.Authorization) (string, bool) {
	d := a.Delegate.Address
	if name, ok := c.cfg.AddressBook.Lookup(d); ok {
		return name + " (your address book)", true
	}
	chain := authChain(c, a)
	for _, k := range knownDelegates {
		if k.addr == d && (k.chains == nil || slices.Contains(k.chains, chain)) {
			return k.name, true
		}
	}
	return "", false
}

// delegateText is how a finding names a delegate.
func delegateText(c *Context, a tx.Authorization) string {
	if name, ok := wellKnownDelegate(c, a); ok {
		return a.Delegate.Address.Hex() + " (" + name + ")"
	}
	return a.Delegate.String()
}

func authPath(i int, field string) string {
	p := fmt.Sprintf("tx.authorizations[%d]", i)
	if field != "" {
		p += "." + field
	}
	return p
}

func authorizations(c *Context) []tx.Authorization {
	if c.In.Tx == nil {
		return nil
	}
	return c.In.Tx.Authorizations
}

func delegationAnyChain(c *Context, r *Rule) []Finding {
	var out []Finding
	for i, a := range authorizations(c) {
		if !a.AnyChain {
			continue
		}
		// Delegating to the zero address clears a delegation: replayed on
		// other chains it can only undo delegations there.
		if a.Delegate.Address == (common.Address{}) {
			out = append(out, r.finding(Info, "Delegation cleared on every chain",
				"This authorization has chain id 0 and delegates to the zero address: it removes the account's delegated code, "+
					"and anyone can submit it on every chain where the account's nonce matches, undoing a delegation you set up there.",
				authPath(i, "chainId"), "If you meant to reset only this chain, sign the authorization with this chain's id."))
			continue
		}
		sev, what := Critical, "code that is not a well-known delegate"
		if name, ok := wellKnownDelegate(c, a); ok {
			sev, what = Danger, name
		}
		out = append(out, r.finding(sev, "Delegation to "+delegateShort(c, a.Delegate.Address)+" valid on every chain",
			fmt.Sprintf("This EIP-7702 authorization has chain id 0, so it is valid on every EVM chain, not just this one. "+
				"Once signed, anyone who sees it can install %s as your account's code on any chain where your account's nonce is %d, "+
				"and that code then controls everything the account holds there. The delegate is %s. "+
				"On a chain where that address holds different code, or none yet, whoever deploys it there decides what your account does.",
				what, a.Nonce, delegateText(c, a)),
			authPath(i, "chainId"),
			"Do not sign authorizations with chain id 0. Ask for one bound to the chain you are using."))
	}
	return out
}

func delegationUnknown(c *Context, r *Rule) []Finding {
	var out []Finding
	// A UserOperation's eip7702Auth delegates the sender as a transaction's
	// authorization does; the bundler submits it with the operation.
	if op := c.In.Op; op != nil && op.Delegate != nil && op.Delegate.Address != (common.Address{}) {
		a := tx.Authorization{ChainID: op.ChainID, Delegate: *op.Delegate, AnyChain: op.ChainID == ""}
		if _, ok := wellKnownDelegate(c, a); !ok {
			out = append(out, r.finding(Danger, "Delegation to "+delegateShort(c, op.Delegate.Address),
				fmt.Sprintf("This operation carries an EIP-7702 authorization that makes the code at %s run as %s. "+
					"That code is not a wallet's well-known delegate and not in your address book; delegated code can move everything the account holds, at any time.",
					addrPhrase(c, op.Delegate.Address), addrPhrase(c, op.Account.Address)),
				"op.delegate", "Only delegate to the smart-account code your own wallet offers."))
		}
	}
	for i, a := range authorizations(c) {
		if a.Delegate.Address == (common.Address{}) {
			continue // a revocation installs no code
		}
		if _, ok := wellKnownDelegate(c, a); ok {
			continue
		}
		out = append(out, r.finding(Danger, "Delegation to "+delegateShort(c, a.Delegate.Address),
			fmt.Sprintf("This EIP-7702 authorization makes the code at %s run as your account on %s. "+
				"That code is not a wallet's well-known delegate and not in your address book. "+
				"Delegated code can move every token and all the ETH the account holds, at any time, without asking you again; "+
				"drainers use exactly this.", a.Delegate, a.ChainName),
			authPath(i, "delegate"),
			"Only delegate to the smart-account code your own wallet offers. If you trust this contract, add it to your address book first."))
	}
	return out
}

func delegationMultiple(c *Context, r *Rule) []Finding {
	auths := authorizations(c)
	if len(auths) < 2 {
		return nil
	}
	// Within one transaction authorizations apply in order, each bumping
	// the authority's nonce, so a later one for the same authority
	// replaces an earlier one: a wallet that shows the first delegate
	// shows code that does not stay. Several authorities delegating once
	// each is what a sponsor relaying other people's upgrades sends.
	first := map[common.Address]int{}
	var out []Finding
	for i, a := range auths {
		if a.Authority == nil {
			continue
		}
		j, seen := first[a.Authority.Address]
		if !seen {
			first[a.Authority.Address] = i
			continue
		}
		if auths[j].Delegate.Address != a.Delegate.Address {
			out = append(out, r.finding(Danger, "One account delegated twice, to different code",
				fmt.Sprintf("Authorizations %d and %d both come from %s, the first to %s and this one to %s. "+
					"They apply in order, so the later one can replace the delegate you were shown first.",
					j, i, a.Authority, delegateText(c, auths[j]), delegateText(c, a)),
				authPath(i, "delegate"),
				"Reject it: an honest request delegates an account once. Ask for a single authorization to the code you chose."))
		}
	}
	if len(out) > 0 {
		return out
	}
	return []Finding{r.finding(Caution, "Several delegations in one transaction",
		fmt.Sprintf("This transaction carries %d EIP-7702 authorizations. Each one installs code in an account; "+
			"a wallet upgrading your own account needs only one.", len(auths)),
		"tx.authorizations",
		"Check every authorization: whose account it changes, on which chain, and to what code.")}
}

func delegationInvalidSignature(c *Context, r *Rule) []Finding {
	var out []Finding
	for i, a := range authorizations(c) {
		if a.Invalid == "" {
			continue
		}
		out = append(out, r.finding(Caution, "Authorization with a broken signature",
			fmt.Sprintf("No account can be recovered from the signature of this authorization (%s). "+
				"The network will skip it, so it changes nothing, but a request that carries one was built wrong or altered on the way.", a.Invalid),
			authPath(i, "invalid"),
			"Ask where the request came from; do not re-sign an authorization you did not ask for."))
	}
	return out
}

// delegateShort names a delegate in a title: its label, or its short
// address and that nobody knows the code.
func delegateShort(c *Context, a common.Address) string {
	if l := c.Label(a); l.Known() {
		return l.Label
	}
	return shortHex(a) + " (unknown code)"
}
