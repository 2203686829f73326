package admin

import (
	"sync"
	"time"
)

// reviewClaims lets several reviewers share the review of one survey: each page of the review
// gives its reviewer the next comments nobody else holds, and holds them for that reviewer a
// while, so that two people do not read the same comments. Claims live in memory only: a
// restart or their expiry frees them, and a decision ends them (the comment no longer waits).
type reviewClaims struct {
	mu sync.Mutex
	m  map[string]reviewClaim // survey id + "\x00" + comment id
}

type reviewClaim struct {
	user  string
	until time.Time
}

// reviewHold is how long a page of the review holds its comments for its reviewer.
const reviewHold = 20 * time.Minute

// take returns, of ids (in order), the first n that no other reviewer holds, holding them for
// user until now+reviewHold, and how many of ids other reviewers hold.
func (c *reviewClaims) take(surveyID, user string, ids []string, n int, now time.Time) (mine []string, others int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]reviewClaim{}
	}
	for k, cl := range c.m {
		if now.After(cl.until) {
			delete(c.m, k)
		}
	}
	for _, id := range ids {
		k := surveyID + "\x00" + id
		if cl, ok := c.m[k]; ok && cl.user != user {
			others++
			continue
		}
		if len(mine) < n {
			c.m[k] = reviewClaim{user: user, until: now.Add(reviewHold)}
			mine = append(mine, id)
		}
	}
	return mine, others
}
