package guard

func erc2612Permit(c *Context, r *Rule) []Finding { return nil }

func permit2Signature(c *Context, r *Rule) []Finding { return nil }

func marketplaceOrder(c *Context, r *Rule) []Finding { return nil }

func transferAuthorization(c *Context, r *Rule) []Finding { return nil }

func blindSigning(c *Context, r *Rule) []Finding { return nil }

func messageLooksLikeData(c *Context, r *Rule) []Finding { return nil }

func siweSuspicious(c *Context, r *Rule) []Finding { return nil }
