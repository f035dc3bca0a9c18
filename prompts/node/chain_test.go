package node

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/tracers"
	_ "github.com/ethereum/go-ethereum/eth/tracers/native" // debug_traceCall's callTracer
	"github.com/ethereum/go-ethereum/ethclient"
	gnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"

	"github.com/txguard/txguard/fixtures"
)

// An in-process go-ethereum node serving JSON-RPC over HTTP on loopback,
// on chain 1 so that the token list names what sits at a listed address:
// USDC's address holds the TestToken contract. The contracts are the
// compiled ones in fixtures/chain, deployed as a scammer would.

// Fixed keys: recorded simulations must come out the same on every run.
var (
	userKey     = mustKey("8a1f9a8f95be41cd7ccb6168179afb4504aefe388d1e14474d32c45c72ce7b7a")
	deployerKey = mustKey("a2e36b3e9d4e0f1a7a9c5bd46b4e5b4f8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f")
	attacker    = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	usdc        = common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48") // listed on chain 1
	safeAccount = common.HexToAddress("0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe")
	// smartSafe is a contract account: code of its own (any will do; the
	// simulation runs its calls through the forwarder) and 50 ETH.
	smartSafe = common.HexToAddress("0x5afe0000000000000000000000000000000c0de5")
	// flooder emits as many empty LOG0s as its calldata's first word says:
	// PUSH1 0 CALLDATALOAD, then loop { DUP1 ISZERO ?exit; LOG0(0,0); -1 }.
	flooder     = common.HexToAddress("0xf100d0000000000000000000000000000000f100")
	flooderCode = common.FromHex("0x6000355b801560155760006000a060019003600356" + "5b00")
)

func mustKey(h string) *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA(h)
	if err != nil {
		panic(err)
	}
	return k
}

type chain struct {
	t        testing.TB
	beacon   *catalyst.SimulatedBeacon
	client   *ethclient.Client
	url      string
	user     common.Address
	deployer common.Address
	// Deployed contracts.
	drainer, swapper, reverter, sneaky, evil, batcher, evader common.Address
}

var oneEther = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), oneEther) }

func usdcUnits(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e6)) }

// newChain starts the node and sets the scene: the user holds 100 ETH and
// 1,000 USDC and, months ago, approved the Drainer for all its USDC.
func newChain(t testing.TB) *chain {
	t.Helper()
	c := &chain{t: t, user: crypto.PubkeyToAddress(userKey.PublicKey), deployer: crypto.PubkeyToAddress(deployerKey.PublicKey)}
	port := freePort(t)
	alloc := types.GenesisAlloc{
		c.user:      {Balance: ether(100)},
		c.deployer:  {Balance: ether(1000)},
		safeAccount: {Balance: ether(50)},
		usdc:        {Code: fixtures.ChainContract("TestToken").Runtime},
		flooder:     {Code: flooderCode},
		smartSafe:   {Code: fixtures.ChainContract("TestNFT").Runtime, Balance: ether(50)},
	}
	c.start(alloc, port)
	c.url = "http://127.0.0.1:" + strconv.Itoa(port)

	c.drainer = c.deploy("Drainer", attacker)
	c.send(deployerKey, c.drainer, nil, c.pack("Drainer", "addToken", usdc))
	c.swapper = c.deploy("Swapper", usdc, usdcUnits(2000)) // 2,000 USDC an ETH
	c.send(deployerKey, usdc, nil, c.pack("TestToken", "mint", c.swapper, usdcUnits(1_000_000)))
	c.reverter = c.deploy("Reverter")
	c.sneaky = c.deploy("SneakyToken", "Sneaky", "SNK", uint8(18), attacker)
	c.send(deployerKey, c.sneaky, nil, c.pack("SneakyToken", "mint", c.user, ether(500)))
	c.evil = c.deploy("EvilDelegate", attacker)
	c.batcher = c.deploy("Batcher7821")

	c.send(deployerKey, usdc, nil, c.pack("TestToken", "mint", c.user, usdcUnits(1000)))
	c.send(deployerKey, usdc, nil, c.pack("TestToken", "mint", safeAccount, usdcUnits(250_000)))
	maxUint := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	c.send(userKey, usdc, nil, c.pack("TestToken", "approve", c.drainer, maxUint))
	c.evader = c.deploy("Evader", usdc, attacker)
	c.send(deployerKey, c.evader, ether(1), nil)
	c.send(userKey, usdc, nil, c.pack("TestToken", "approve", c.evader, maxUint))
	return c
}

// start runs a node as ethclient/simulated does, and as geth does also
// serves the debug namespace's tracers (debug_traceCall).
func (c *chain) start(alloc types.GenesisAlloc, port int) {
	nc := gnode.DefaultConfig
	nc.DataDir, nc.P2P = "", p2p.Config{NoDiscovery: true}
	nc.HTTPHost, nc.HTTPPort = "127.0.0.1", port
	nc.HTTPModules = []string{"eth", "net", "web3", "debug"}
	stack, err := gnode.New(&nc)
	if err != nil {
		c.t.Fatal(err)
	}
	genesis := core.SystemContractAllocs()
	for a, acct := range alloc {
		genesis[a] = acct
	}
	cfg := *params.AllDevChainProtocolChanges
	cfg.ChainID = big.NewInt(1)
	ec := ethconfig.Defaults
	ec.Genesis = &core.Genesis{Config: &cfg, GasLimit: ethconfig.Defaults.Miner.GasCeil, Alloc: genesis}
	ec.NetworkId, ec.SyncMode, ec.TxPool.NoLocals = 1, ethconfig.FullSync, true
	backend, err := eth.New(stack, &ec)
	if err != nil {
		c.t.Fatal(err)
	}
	stack.RegisterAPIs(tracers.APIs(backend.APIBackend))
	if err := stack.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { stack.Close() })
	if c.beacon, err = catalyst.NewSimulatedBeacon(0, common.Address{}, backend); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { c.beacon.Stop() })
	if err := c.beacon.Fork(backend.BlockChain().GetCanonicalHash(0)); err != nil {
		c.t.Fatal(err)
	}
	c.client = ethclient.NewClient(stack.Attach())
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (c *chain) pack(contract, method string, args ...any) []byte {
	c.t.Helper()
	b, err := fixtures.ChainContract(contract).ABI.Pack(method, args...)
	if err != nil {
		c.t.Fatalf("%s.%s: %v", contract, method, err)
	}
	return b
}

func (c *chain) deploy(name string, args ...any) common.Address {
	c.t.Helper()
	data, err := fixtures.ChainContract(name).DeployData(args...)
	if err != nil {
		c.t.Fatal(err)
	}
	r := c.sendTx(deployerKey, nil, nil, data)
	return r.ContractAddress
}

func (c *chain) send(key *ecdsa.PrivateKey, to common.Address, value *big.Int, data []byte) *types.Receipt {
	return c.sendTx(key, &to, value, data)
}

func (c *chain) sendTx(key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) *types.Receipt {
	c.t.Helper()
	ctx := context.Background()
	cl := c.client
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := cl.PendingNonceAt(ctx, from)
	if err != nil {
		c.t.Fatal(err)
	}
	if value == nil {
		value = new(big.Int)
	}
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{
		ChainID: big.NewInt(1), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9),
		Gas: 5_000_000, To: to, Value: value, Data: data,
	})
	if err := cl.SendTransaction(ctx, tx); err != nil {
		c.t.Fatal(err)
	}
	c.beacon.Commit()
	r, err := cl.TransactionReceipt(ctx, tx.Hash())
	if err != nil || r.Status != 1 {
		c.t.Fatalf("transaction to %v failed: %v (receipt %+v)", to, err, r)
	}
	return r
}

func (c *chain) nonce(a common.Address) uint64 {
	n, err := c.client.NonceAt(context.Background(), a, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

// request is an eth_sendTransaction request from the user, as a wallet
// would send it.
func request(from, to common.Address, value *big.Int, data []byte, extra map[string]any) []byte {
	m := map[string]any{"chainId": "0x1", "from": from, "to": to, "data": hexutil.Bytes(data), "gas": "0x2dc6c0"}
	if value != nil {
		m["value"] = (*hexutil.Big)(value)
	} else {
		m["value"] = "0x0"
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k) // as a wallet leaves it out
			continue
		}
		m[k] = v
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// setCode signs a 7702 transaction from the user that delegates the
// user's account to delegate and calls it with data.
func (c *chain) setCode(delegate common.Address, data []byte) []byte {
	c.t.Helper()
	n := c.nonce(c.user)
	auth, err := types.SignSetCode(userKey, types.SetCodeAuthorization{ChainID: *uint256.NewInt(1), Address: delegate, Nonce: n + 1})
	if err != nil {
		c.t.Fatal(err)
	}
	tx := types.MustSignNewTx(userKey, types.LatestSignerForChainID(big.NewInt(1)), &types.SetCodeTx{
		ChainID: uint256.NewInt(1), Nonce: n, GasTipCap: uint256.NewInt(1e9), GasFeeCap: uint256.NewInt(100e9),
		Gas: 500_000, To: c.user, Value: new(uint256.Int), Data: data, AuthList: []types.SetCodeAuthorization{auth},
	})
	b, err := tx.MarshalBinary()
	if err != nil {
		c.t.Fatal(err)
	}
	return []byte(hexutil.Encode(b) + "\n")
}

// sendCalls is a wallet_sendCalls (EIP-5792) request from account.
func sendCalls(account common.Address, calls ...map[string]any) []byte {
	b, err := json.MarshalIndent(map[string]any{"id": 1, "jsonrpc": "2.0", "method": "wallet_sendCalls",
		"params": []any{map[string]any{"version": "2.0.0", "chainId": "0x1", "from": account, "atomicRequired": true, "calls": calls}}}, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func call(to common.Address, value *big.Int, data []byte) map[string]any {
	m := map[string]any{"to": to, "data": hexutil.Bytes(data)}
	if value != nil {
		m["value"] = (*hexutil.Big)(value)
	}
	return m
}

// wait is a deadline for a test's requests.
func wait(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fixtures7821Calls is ERC-7821's executionData for a batch: Call[].
func fixtures7821Calls() abi.Arguments {
	t, err := abi.NewType("tuple[]", "", []abi.ArgumentMarshaling{
		{Name: "to", Type: "address"}, {Name: "value", Type: "uint256"}, {Name: "data", Type: "bytes"}})
	if err != nil {
		panic(err)
	}
	return abi.Arguments{{Type: t}}
}

// signTypedData is an eth_signTypedData_v4 request from signer.
func signTypedData(signer common.Address, td map[string]any) []byte {
	inner, err := json.Marshal(td)
	if err != nil {
		panic(err)
	}
	b, err := json.MarshalIndent(map[string]any{"id": 1, "jsonrpc": "2.0", "method": "eth_signTypedData_v4",
		"params": []any{signer, string(inner)}}, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// safeTx is a Safe 1.3.0+ SafeTx for safeAccount (operation CALL), signed
// by one of its owners.
func safeTx(to common.Address, value *big.Int, data []byte) []byte {
	return safeTxFor(safeAccount, to, value, data)
}

// safeTxFor is safeTx for another Safe.
func safeTxFor(safe, to common.Address, value *big.Int, data []byte) []byte {
	owner := common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906")
	return signTypedData(owner, map[string]any{
		"types": map[string]any{
			"EIP712Domain": []map[string]string{{"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}},
			"SafeTx": []map[string]string{{"name": "to", "type": "address"}, {"name": "value", "type": "uint256"}, {"name": "data", "type": "bytes"},
				{"name": "operation", "type": "uint8"}, {"name": "safeTxGas", "type": "uint256"}, {"name": "baseGas", "type": "uint256"},
				{"name": "gasPrice", "type": "uint256"}, {"name": "gasToken", "type": "address"}, {"name": "refundReceiver", "type": "address"},
				{"name": "nonce", "type": "uint256"}},
		},
		"primaryType": "SafeTx",
		"domain":      map[string]any{"chainId": "1", "verifyingContract": safe},
		"message": map[string]any{"to": to, "value": value.String(), "data": hexutil.Bytes(data), "operation": "0", "safeTxGas": "0",
			"baseGas": "0", "gasPrice": "0", "gasToken": common.Address{}, "refundReceiver": common.Address{}, "nonce": "7"},
	})
}

// permit is an EIP-2612 permit of USDC from owner to spender.
func permit(owner, spender common.Address, value *big.Int) []byte {
	return signTypedData(owner, map[string]any{
		"types": map[string]any{
			"EIP712Domain": []map[string]string{{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
				{"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}},
			"Permit": []map[string]string{{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
				{"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}},
		},
		"primaryType": "Permit",
		"domain":      map[string]any{"name": "USD Coin", "version": "2", "chainId": "1", "verifyingContract": usdc},
		"message":     map[string]any{"owner": owner, "spender": spender, "value": value.String(), "nonce": "0", "deadline": "1893456000"},
	})
}
