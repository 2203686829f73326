package page

import (
	"net"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// ClientIP is the address of the client, which the login throttle, the rate limits and the
// audit log use: the TCP peer, unless the peer is a trusted proxy (TrustedProxies) —
// then the rightmost address of X-Forwarded-For that is not itself a trusted proxy. Any
// client can write X-Forwarded-For, so its entries left of the first untrusted hop, and the
// whole header from an untrusted peer, are ignored.
func (s *Site) ClientIP(c echo.Context) string {
	r := c.Request()
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.TrustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(h, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	client := host
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return client // a malformed hop: the last address a trusted proxy vouched for
		}
		client = a.Unmap().String()
		if !s.trusted(client) {
			return client
		}
	}
	return client
}

// trusted reports whether addr is in one of the trusted proxy ranges.
func (s *Site) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies parses a comma-separated list of CIDR ranges or single addresses (the
// serve --trusted-proxy flag).
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, survey.Errorf(survey.EINVALID, "--trusted-proxy: %q は CIDR（例 10.0.0.0/8）かアドレスではありません",
					"--trusted-proxy: %q is not a CIDR range (e.g. 10.0.0.0/8) or an address", f)
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
