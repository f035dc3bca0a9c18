package account

import (
	"github.com/ethereum/go-ethereum/common"
)

// KnownEntryPoints are the ERC-4337 EntryPoint deployments, at the same
// address on every chain. Sources: viem
// src/account-abstraction/constants/address.ts and OpenZeppelin
// contracts/account/utils/ERC4337Utils.sol (v0.7, v0.8, v0.9), which agree;
// safe-modules 4337 CHANGELOG and Coinbase Smart Wallet (v0.6).
var KnownEntryPoints = map[common.Address]string{}

// KnownFactories are account factories a UserOperation's initCode names,
// the same address on every chain where deployed. Sources:
// safe-deployments src/assets/<version>/ (Safe proxy factories, the
// factory of Safe accounts with the 4337 module); permissionless.js
// accounts/simple/toSimpleSmartAccount.ts (SimpleAccountFactory),
// accounts/light/toLightSmartAccount.ts and light-account Deployments.md
// (LightAccountFactory), accounts/kernel/toKernelSmartAccount.ts and the
// kernel README (Kernel), accounts/nexus/toNexusSmartAccount.ts (Nexus);
// coinbase/smart-wallet README (Coinbase Smart Wallet); MetaMask
// delegation-framework documents/Deployments.md (DeleGator SimpleFactory).
var KnownFactories = map[common.Address]string{}

// KnownSafe4337Modules are the Safe4337Module deployments, the
// verifyingContract of a SafeOp (safe-modules-deployments
// src/assets/safe-4337-module/<version>/safe-4337-module.json).
var KnownSafe4337Modules = map[common.Address]string{}

// entryPoints maps an EntryPoint to its version ("0.6" ... "0.9"), which
// decides the UserOperation's fields and how it is hashed.
var entryPoints = map[common.Address]string{}

// safe4337Module is a module's version and the EntryPoint it trusts.
type safe4337Module struct {
	version    string
	entryPoint common.Address
}

var safe4337Modules = map[common.Address]safe4337Module{}

// The tables as written: init reads them into the maps above, and
// TestTableChecksums holds every address to its EIP-55 checksum (which
// keeps a typo from naming the wrong contract) instead of every start
// paying a keccak each.
var (
	entryPointRows = []struct{ addr, version string }{
		{"0x5FF137D4b0FDCD49DcA30c7CF57E578a026d2789", "0.6"},
		{"0x0000000071727De22E5E9d8BAf0edAc6f37da032", "0.7"},
		{"0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108", "0.8"},
		{"0x433709009B8330FDa32311DF1C2AFA402eD8D009", "0.9"},
	}
	factoryRows = []struct{ addr, name string }{
		{"0xa6B71E26C5e0845f74c812102Ca7114b6a896AB2", "Safe ProxyFactory 1.3.0"},
		{"0xC22834581EbC8527d974F8a1c97E1bEA4EF910BC", "Safe ProxyFactory 1.3.0 (eip155)"},
		{"0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67", "Safe ProxyFactory 1.4.1"},
		{"0x14F2982D601c9458F93bd70B218933A6f8165e7b", "Safe ProxyFactory 1.5.0"},
		{"0x9406Cc6185a346906296840746125a0E44976454", "SimpleAccountFactory v0.6"},
		{"0x91E60e0613810449d098b0b5Ec8b51A0FE8c8985", "SimpleAccountFactory v0.7"},
		{"0x13E9ed32155810FDbd067D4522C492D6f68E5944", "SimpleAccountFactory v0.8"},
		{"0x00000055C0b4fA41dde26A74435ff03692292FBD", "LightAccountFactory v1.0.2"},
		{"0x00004EC70002a32400f8ae005A26081065620D20", "LightAccountFactory v1.1.0"},
		{"0x0000000000400CdFef5E2714E63d8040b700BC24", "LightAccountFactory v2.0.0"},
		{"0x5de4839a76cf55d0c90e2061ef4386d962E15ae3", "Kernel v2 factory"},
		{"0x6723b44Abeec4E71eBE3232BD5B455805baDD22f", "Kernel v3.0 factory"},
		{"0xaac5D4240AF87249B3f71BC8E4A2cae074A3E419", "Kernel v3.1 factory"},
		{"0x7a1dBAB750f12a90EB1B60D2Ae3aD17D4D81EfFe", "Kernel v3.2 factory"},
		{"0x2577507b78c2008Ff367261CB6285d44ba5eF2E9", "Kernel v3.3 factory"},
		{"0xd703aaE79538628d27099B8c4f621bE4CCd142d5", "Kernel meta factory (FactoryStaker)"},
		{"0x0BA5ED0c6AA8c49038F819E587E2633c4A9F428a", "Coinbase Smart Wallet factory v1"},
		{"0xBA5ED110eFDBa3D005bfC882d75358ACBbB85842", "Coinbase Smart Wallet factory v1.1"},
		{"0x00000bb19a3579F4D779215dEf97AFbd0e30DB55", "Nexus K1 validator factory"},
		{"0x69Aa2f9fe1572F1B640E1bbc512f5c3a734fc77c", "MetaMask DeleGator SimpleFactory"},
	}
	moduleRows = []struct{ addr, version, entryPoint string }{
		{"0xa581c4A4DB7175302464fF3C06380BC3270b4037", "0.2.0", "0x5FF137D4b0FDCD49DcA30c7CF57E578a026d2789"},
		{"0x75cf11467937ce3F2f357CE24ffc3DBF8fD5c226", "0.3.0", "0x0000000071727De22E5E9d8BAf0edAc6f37da032"},
	}
)

func init() {
	for _, e := range entryPointRows {
		a := mustAddr(e.addr)
		entryPoints[a] = e.version
		KnownEntryPoints[a] = "ERC-4337 EntryPoint v" + e.version
	}
	for _, f := range factoryRows {
		KnownFactories[mustAddr(f.addr)] = f.name
	}
	for _, m := range moduleRows {
		a := mustAddr(m.addr)
		// Named as decode/label names them (chain 1 there).
		KnownSafe4337Modules[a] = "Safe 4337 Module " + m.version
		safe4337Modules[a] = safe4337Module{m.version, mustAddr(m.entryPoint)}
	}
}

// mustAddr reads a table address (its checksum: see the tables).
func mustAddr(s string) common.Address {
	if !common.IsHexAddress(s) {
		panic("account: table address " + s)
	}
	return common.HexToAddress(s)
}

// knownName names a contract of the tables above.
func knownName(a common.Address) (string, bool) {
	if n, ok := KnownEntryPoints[a]; ok {
		return n, true
	}
	if n, ok := KnownFactories[a]; ok {
		return n, true
	}
	if n, ok := KnownSafe4337Modules[a]; ok {
		return n, true
	}
	if a == eip7702Marker {
		return "EIP-7702 marker: no factory, the sender is an EOA with delegated code", true
	}
	return "", false
}
