<?php
/**
 * The built-in answerer: replies with no AI provider, only from store data (catalog, synced
 * store facts, FAQ, policies, orders). Intents are recognised by keywords; anything it cannot
 * answer ends with an offer of the lead form rather than a guess.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Answerer {

	public function __construct( private ProductSearch $products, private WooAdapter $adapter, private array $facts, private string $session_id ) {}

	/**
	 * @param string $text Redacted visitor message.
	 * @return array{reply: string, products: array, actions: string[], intent: string}
	 */
	public function answer( string $text ): array {
		$t = mb_strtolower( $text );
		if ( preg_match( '/\b(human|agent|real person|someone|call me|contact me|email me|talk to)\b/u', $t ) ) {
			return $this->out( __( 'Of course. Leave your email or phone below and the store will get back to you.', 'aisle' ), array(), array( 'offer_lead' ), 'lead' );
		}
		$faq = $this->faq( $t, 0.6 );
		if ( $faq ) {
			return $this->out( $faq, array(), array(), 'faq' );
		}
		if ( preg_match( '/^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|salam|bonjour|hola)\b[\s!.,]*$/u', $t ) ) {
			return $this->out( __( 'Hello! I can help you find products, check shipping and payment options, or look up your order. What are you looking for?', 'aisle' ), array(), array(), 'greeting' );
		}
		if ( preg_match( '/\b(ship|shipping|deliver|delivery|postage)\b/u', $t ) ) {
			return $this->shipping( $t );
		}
		if ( preg_match( '/\b(pay|payment|payments|paypal|credit card|cash on delivery|bank transfer)\b/u', $t ) ) {
			return $this->payment();
		}
		if ( preg_match( '/\b(coupon|coupons|discount|promo|voucher|code)\b/u', $t ) ) {
			return $this->coupons();
		}
		if ( preg_match( '/\b(return|returns|refund|refunds|exchange|terms|privacy|policy|policies)\b/u', $t ) ) {
			return $this->policy( $t );
		}
		$faq = $this->faq( $t, 0.34 );
		if ( $faq ) {
			return $this->out( $faq, array(), array(), 'faq' );
		}
		return $this->catalog( $text );
	}

	private function out( string $reply, array $products, array $actions, string $intent ): array {
		return array( 'reply' => $reply, 'products' => $products, 'actions' => $actions, 'intent' => $intent );
	}

	/** Best FAQ answer whose question shares at least $min of its words with the message. */
	private function faq( string $t, float $min ): string {
		$words = self::words( $t );
		$best  = array( 0.0, '' );
		foreach ( (array) ( $this->facts['faq'] ?? array() ) as $e ) {
			$q = self::words( mb_strtolower( (string) ( $e['question'] ?? '' ) ) );
			if ( ! $q ) {
				continue;
			}
			$score = count( array_intersect( $q, $words ) ) / count( $q );
			if ( $score > $best[0] ) {
				$best = array( $score, (string) $e['answer'] );
			}
		}
		return $best[0] >= $min ? $best[1] : '';
	}

	/** Content words (stop words dropped, plural "s" trimmed) for matching. */
	private static function words( string $t ): array {
		static $stop = array( 'the', 'a', 'an', 'do', 'does', 'you', 'your', 'i', 'my', 'is', 'are', 'can', 'to', 'of', 'in', 'for', 'on', 'what', 'how', 'we', 'it', 'me', 'and', 'or', 'have', 'has', 'with', 'any', 'there' );
		$out = array();
		foreach ( preg_split( '/[^\p{L}\p{N}]+/u', $t ) as $w ) {
			if ( '' !== $w && ! in_array( $w, $stop, true ) ) {
				$out[] = mb_strlen( $w ) > 3 ? rtrim( $w, 's' ) : $w;
			}
		}
		return array_values( array_unique( $out ) );
	}

	private function shipping( string $t ): array {
		$zones = (array) ( $this->facts['shipping_zones'] ?? array() );
		if ( ! $zones ) {
			return $this->out( __( 'I do not have the shipping details yet. Leave your email or phone and the store will answer you.', 'aisle' ), array(), array( 'offer_lead' ), 'shipping' );
		}
		$countries = function_exists( 'WC' ) && isset( WC()->countries ) ? (array) WC()->countries->get_countries() : array();
		$match     = null;
		foreach ( $zones as $zone ) {
			$names = array( (string) $zone['name'] );
			foreach ( (array) $zone['regions'] as $r ) {
				$names[] = (string) $r['code'];
				if ( isset( $countries[ $r['code'] ] ) ) {
					$names[] = (string) $countries[ $r['code'] ];
				}
			}
			foreach ( $names as $name ) {
				$n = mb_strtolower( $name );
				if ( '' !== $n && ( mb_strlen( $n ) > 2 ? str_contains( $t, $n ) : preg_match( '/\b' . preg_quote( $n, '/' ) . '\b/u', $t ) ) ) {
					$match = $zone;
					break 2;
				}
			}
		}
		if ( ! $match ) {
			$lines = array( __( 'We ship to these regions:', 'aisle' ) );
			foreach ( $zones as $zone ) {
				$lines[] = '- **' . $zone['name'] . '**: ' . $this->methods( $zone['methods'] );
			}
			return $this->out( implode( "\n", $lines ), array(), array(), 'shipping' );
		}
		if ( ! $match['methods'] ) {
			/* translators: %s: shipping zone */
			return $this->out( sprintf( __( 'Sorry, we do not currently ship to %s.', 'aisle' ), $match['name'] ), array(), array( 'offer_lead' ), 'shipping' );
		}
		/* translators: 1: shipping zone, 2: list of methods */
		return $this->out( sprintf( __( 'Yes, we ship to %1$s: %2$s.', 'aisle' ), $match['name'], $this->methods( $match['methods'] ) ), array(), array(), 'shipping' );
	}

	private function methods( array $methods ): string {
		if ( ! $methods ) {
			return __( 'no shipping', 'aisle' );
		}
		$currency = (string) ( $this->facts['currency'] ?? '' );
		return implode(
			', ',
			array_map(
				function ( $m ) use ( $currency ) {
					$s = (string) $m['title'];
					if ( '' !== (string) $m['cost'] && is_numeric( $m['cost'] ) ) {
						$s .= ' (' . self::money( $m['cost'], $currency ) . ')';
					}
					if ( '' !== (string) $m['free_minimum'] ) {
						/* translators: %s: minimum order amount */
						$s .= ' ' . sprintf( __( '(orders over %s)', 'aisle' ), self::money( $m['free_minimum'], $currency ) );
					}
					return $s;
				},
				$methods
			)
		);
	}

	private function payment(): array {
		$g = (array) ( $this->facts['payment_gateways'] ?? array() );
		if ( ! $g ) {
			return $this->out( __( 'I do not have the payment details yet. Leave your email or phone and the store will answer you.', 'aisle' ), array(), array( 'offer_lead' ), 'payment' );
		}
		$lines = array( __( 'You can pay with:', 'aisle' ) );
		foreach ( $g as $gw ) {
			$lines[] = '- ' . $gw['title'];
		}
		return $this->out( implode( "\n", $lines ), array(), array(), 'payment' );
	}

	private function coupons(): array {
		$c = array_filter( (array) ( $this->facts['coupons'] ?? array() ), static fn ( $c ) => empty( $c['expires_at'] ) || $c['expires_at'] > time() );
		if ( ! $c ) {
			return $this->out( __( 'There are no discount codes I can share right now.', 'aisle' ), array(), array(), 'coupon' );
		}
		$currency = (string) ( $this->facts['currency'] ?? '' );
		$lines    = array( __( 'You can use these codes at checkout:', 'aisle' ) );
		foreach ( $c as $coupon ) {
			$amount  = 'percent' === $coupon['discount_type'] ? rtrim( rtrim( (string) $coupon['amount'], '0' ), '.' ) . '%' : self::money( $coupon['amount'], $currency );
			$line    = '- **' . strtoupper( $coupon['code'] ) . '**: ' . $amount;
			if ( '' !== (string) $coupon['minimum_amount'] ) {
				/* translators: %s: minimum spend */
				$line .= ' ' . sprintf( __( '(minimum spend %s)', 'aisle' ), self::money( $coupon['minimum_amount'], $currency ) );
			}
			$lines[] = $line;
		}
		return $this->out( implode( "\n", $lines ), array(), array(), 'coupon' );
	}

	private function policy( string $t ): array {
		$p    = (array) ( $this->facts['policies'] ?? array() );
		$kind = preg_match( '/privacy/u', $t ) ? 'privacy' : ( preg_match( '/terms/u', $t ) ? 'terms' : 'refund' );
		if ( empty( $p[ $kind ] ) ) {
			return $this->out( __( 'I do not have that policy. Leave your email or phone and the store will answer you.', 'aisle' ), array(), array( 'offer_lead' ), 'policy' );
		}
		$text = wp_trim_words( (string) $p[ $kind ]['text'], 60, '…' );
		return $this->out( '**' . $p[ $kind ]['title'] . "**\n" . $text . "\n" . $p[ $kind ]['url'], array(), array(), 'policy' );
	}

	/** Price and stock filters, and a category, read from the message; the rest is the query. */
	public function filters( string $text ): array {
		$t       = mb_strtolower( $text );
		$filters = array();
		$num     = '(\d+(?:[.,]\d{1,2})?)';
		if ( preg_match( "/between\s*[^\d\s]?\s*$num\s*(?:and|-|to)\s*[^\d\s]?\s*$num/u", $t, $m ) ) {
			$filters['price_min'] = (float) str_replace( ',', '.', $m[1] );
			$filters['price_max'] = (float) str_replace( ',', '.', $m[2] );
		} else {
			if ( preg_match( "/\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|no more than)\s*[^\d\s]?\s*$num/u", $t, $m ) ) {
				$filters['price_max'] = (float) str_replace( ',', '.', $m[1] );
			}
			if ( preg_match( "/\b(?:over|above|more than|at least|from)\s*[^\d\s]?\s*$num/u", $t, $m ) ) {
				$filters['price_min'] = (float) str_replace( ',', '.', $m[1] );
			}
		}
		if ( preg_match( '/\b(in stock|available now|available)\b/u', $t ) ) {
			$filters['in_stock'] = true;
		}
		foreach ( $this->adapter->category_names() as $cat ) {
			$c = mb_strtolower( $cat );
			if ( '' !== $c && preg_match( '/\b' . preg_quote( rtrim( $c, 's' ), '/' ) . 's?\b/u', $t ) ) {
				$filters['category'] = $cat;
				break;
			}
		}
		return $filters;
	}

	/** The message without filler and filter words, as a search query. */
	public static function query( string $text ): string {
		$t = mb_strtolower( $text );
		$t = preg_replace( '/\b(?:between|under|below|less than|cheaper than|max(?:imum)?|up to|no more than|over|above|more than|at least|from)\s*[^\d\s]?\s*\d+(?:[.,]\d{1,2})?(?:\s*(?:and|-|to)\s*[^\d\s]?\s*\d+(?:[.,]\d{1,2})?)?\s*(?:€|\$|£|eur|usd|gbp|euros?|dollars?)?/u', ' ', $t );
		$t = preg_replace( '/\b(do|you|have|has|any|some|i|am|looking|for|want|need|show|me|please|a|an|the|in stock|available|sell|got|is|are|there|can|find|tell|about|details|of|what|which|with|price|cost|how much|does)\b/u', ' ', $t );
		return trim( (string) preg_replace( '/\s+/u', ' ', (string) preg_replace( '/[?!.,]+/u', ' ', $t ) ) );
	}

	private function catalog( string $text ): array {
		$filters = $this->filters( $text );
		$query   = self::query( $text );
		$detail  = (bool) preg_match( '/\b(tell me about|details|describe|more about|what is|how much)\b/iu', $text );
		$rows    = $this->products->search( $query, $detail ? 1 : 4, $filters );
		if ( ! $rows ) {
			return $this->out( __( 'I could not find a matching product. Would you like the store to get back to you? Leave your email or phone below.', 'aisle' ), array(), array( 'offer_lead' ), 'search' );
		}
		$cards = array_map( fn ( $p ) => self::card( $p, $this->session_id ), $rows );
		if ( $detail ) {
			$p     = $rows[0];
			$lines = array( '**' . $p['name'] . '** — ' . $cards[0]['price_text'] . ', ' . ( $cards[0]['in_stock'] ? __( 'in stock', 'aisle' ) : __( 'out of stock', 'aisle' ) ) . '.' );
			$desc  = trim( wp_strip_all_tags( (string) ( $p['short_description'] ?: $p['description'] ) ) );
			if ( '' !== $desc ) {
				$lines[] = wp_trim_words( $desc, 40, '…' );
			}
			foreach ( $p['attributes'] as $name => $values ) {
				$lines[] = '- ' . $name . ': ' . implode( ', ', $values );
			}
			return $this->out( implode( "\n", $lines ), $cards, array(), 'product' );
		}
		$reply = 1 === count( $rows ) ? __( 'Here is what I found:', 'aisle' ) : __( 'Here are some products that match:', 'aisle' );
		return $this->out( $reply, $cards, array(), 'search' );
	}

	/** A widget card (DESIGN.md / README "chat" schema); links carry aisle_session for attribution. */
	public static function card( array $p, string $session_id ): array {
		$in_stock = 'outofstock' !== $p['stock_status'];
		$url      = add_query_arg( 'aisle_session', $session_id, (string) $p['permalink'] );
		return array(
			'id'              => (int) $p['id'],
			'name'            => (string) $p['name'],
			'sku'             => (string) $p['sku'],
			'price'           => (string) $p['price'],
			'price_text'      => '' === (string) $p['price'] ? '' : self::money( $p['price'], (string) ( $p['currency'] ?? '' ) ),
			'in_stock'        => $in_stock,
			'url'             => $url,
			'image'           => (string) ( $p['image'] ?? '' ),
			// A simple product goes straight into WooCommerce's cart (its ?add-to-cart handler); a
			// variable one needs a variation chosen on its page, so it gets that link instead.
			'add_to_cart_url' => 'simple' === $p['type'] && $in_stock && '' !== (string) $p['price'] ? add_query_arg( 'add-to-cart', (int) $p['id'], $url ) : '',
			'options_url'     => 'variable' === $p['type'] && $in_stock ? $url : '',
		);
	}

	/** A price as plain text in the store's format ("$15.00"), for replies and cards. */
	public static function money( $amount, string $currency = '' ): string {
		if ( function_exists( 'wc_price' ) ) {
			$args = '' !== $currency ? array( 'currency' => $currency ) : array();
			return trim( html_entity_decode( wp_strip_all_tags( wc_price( (float) $amount, $args ) ), ENT_QUOTES, 'UTF-8' ) );
		}
		return trim( number_format( (float) $amount, 2 ) . ' ' . $currency );
	}
}
