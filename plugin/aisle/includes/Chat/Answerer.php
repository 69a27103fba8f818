<?php
/**
 * The built-in answerer: replies with no AI provider, only from store data (catalog, synced
 * store facts, FAQ, policies, orders). Intents are recognised by keywords; anything it cannot
 * answer ends with an offer of the lead form rather than a guess.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Catalog\Lexicon;
use Aisle\Plugin\Knowledge\KnowledgeBase;
use Aisle\Plugin\Catalog\ProductSearch;
use Aisle\Plugin\Catalog\WooAdapter;

defined( 'ABSPATH' ) || exit;

final class Answerer {

	/** @param string $lang ISO 639-1 code of the shopper's message (the reply's locale is already switched to it). */
	public function __construct( private ProductSearch $products, private WooAdapter $adapter, private array $facts, private string $session_id, private string $lang = 'en' ) {}

	/**
	 * @param string $text Redacted visitor message.
	 * @return array{reply: string, products: array, actions: string[], intent: string}
	 */
	public function answer( string $text ): array {
		$text = Lexicon::digits( $text );
		$t    = mb_strtolower( $text );
		if ( Lexicon::says( 'injection', $t ) ) {
			// No lead form and no catalog search: there is nothing to follow up.
			return $this->out( __( 'I can help with products, orders and this store\'s policies.', 'aisle' ), array(), array(), 'refuse' );
		}
		if ( Lexicon::says( 'lead', $t ) ) {
			return $this->out( __( 'Of course. Leave your email or phone below and the store will get back to you.', 'aisle' ), array(), array( 'offer_lead' ), 'lead' );
		}
		$faq = $this->faq( $t, 0.6 );
		if ( $faq ) {
			return $this->out( $faq, array(), array(), 'faq' );
		}
		if ( Lexicon::is_greeting( $t ) ) {
			return $this->out( __( 'Hello! I can help you find products, check shipping and payment options, or look up your order. What are you looking for?', 'aisle' ), array(), array(), 'greeting' );
		}
		if ( Lexicon::says( 'shipping', $t ) ) {
			return $this->shipping( $t );
		}
		if ( Lexicon::says( 'payment', $t ) ) {
			return $this->payment();
		}
		if ( Lexicon::says( 'coupon', $t ) ) {
			return $this->coupons();
		}
		if ( Lexicon::says( 'policy', $t ) ) {
			$policy = $this->policy( $t );
			// No such policy page: the knowledge base (uploaded documents, other pages) may still know.
			$known = in_array( 'offer_lead', $policy['actions'], true ) ? KnowledgeBase::answer( $text ) : null;
			return $known ? $this->knowledge( $known ) : $policy;
		}
		$faq = $this->faq( $t, 0.34 );
		if ( $faq ) {
			return $this->out( $faq, array(), array(), 'faq' );
		}
		$known = KnowledgeBase::answer( $text );
		// Product questions still prefer the catalog: a passage that mentions hoodies does not answer
		// "do you have a zip hoodie?" when the catalog has one.
		if ( $known && ! $this->names_a_product( $text ) ) {
			return $this->knowledge( $known );
		}
		$prices = Lexicon::price_filters( $text );
		if ( ! $prices && Lexicon::says( 'stock', $t ) ) {
			$direct = $this->direct( $text, 'stock' );
			if ( $direct ) {
				return $direct;
			}
		}
		if ( ! $prices && Lexicon::says( 'price', $t ) ) {
			$direct = $this->direct( $text, 'price' );
			if ( $direct ) {
				return $direct;
			}
		}
		return $this->catalog( $text );
	}

	/** A passage that answers the question well: its matching sentences and where they come from. */
	private function knowledge( array $k ): array {
		$from = null !== $k['url'] ? '[' . $k['title'] . '](' . $k['url'] . ')' : '**' . $k['title'] . '**';
		/* translators: %s: the document or page the answer comes from */
		$reply = $k['text'] . "\n" . sprintf( __( 'From our %s', 'aisle' ), $from );
		$out   = $this->out( $reply, array(), array(), 'knowledge' );
		$out['sources'] = array( array( 'title' => $k['title'], 'url' => $k['url'] ) );
		return $out;
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
		$code  = Lexicon::country_in( $t, $this->lang );
		$match = $code ? $this->zone_for( $code, $zones ) : $this->zone_named( $t, $zones );
		if ( ! $match && ! $code ) {
			$lines = array( __( 'We ship to these regions:', 'aisle' ) );
			foreach ( $zones as $zone ) {
				if ( $zone['methods'] ) {
					$lines[] = '- **' . $this->zone_label( $zone ) . '**: ' . $this->methods( $zone['methods'] );
				}
			}
			return $this->out( implode( "\n", $lines ), array(), array(), 'shipping' );
		}
		$place = $code ? $this->country_name( $code ) : $this->zone_label( $match );
		if ( ! $match || ! $match['methods'] ) {
			/* translators: %s: country or region */
			$lines  = array( sprintf( __( 'Sorry, we don\'t ship to %s.', 'aisle' ), $place ) );
			$others = array_filter( $zones, static fn ( $z ) => $z['methods'] && $z['regions'] );
			if ( $others ) {
				$lines[] = __( 'We ship to these regions:', 'aisle' );
				foreach ( $others as $zone ) {
					$lines[] = '- **' . $this->zone_label( $zone ) . '**: ' . $this->methods( $zone['methods'] );
				}
			}
			foreach ( $zones as $zone ) {
				foreach ( $zone['methods'] as $m ) {
					if ( in_array( $m['id'] ?? '', array( 'local_pickup', 'pickup_location' ), true ) ) {
						$lines[] = __( 'You can also collect your order from the store.', 'aisle' );
						break 2;
					}
				}
			}
			$lines[] = __( 'Leave your email or phone below and the store will get back to you.', 'aisle' );
			return $this->out( implode( "\n", $lines ), array(), array( 'offer_lead' ), 'shipping' );
		}
		/* translators: 1: country or region, 2: list of methods */
		return $this->out( sprintf( __( 'Yes, we ship to %1$s: %2$s.', 'aisle' ), $place, $this->methods( $match['methods'] ) ), array(), array(), 'shipping' );
	}

	/** The first zone covering a country (as WooCommerce picks one: by country, state or continent), else the rest of the world. */
	private function zone_for( string $code, array $zones ): ?array {
		$continent = function_exists( 'WC' ) && isset( WC()->countries ) ? (string) WC()->countries->get_continent_code_for_country( $code ) : '';
		foreach ( $zones as $zone ) {
			foreach ( (array) $zone['regions'] as $r ) {
				$type = (string) ( $r['type'] ?? 'country' );
				$rc   = (string) $r['code'];
				if ( ( 'country' === $type && $rc === $code ) || ( 'state' === $type && str_starts_with( $rc, $code . ':' ) ) || ( 'continent' === $type && '' !== $continent && $rc === $continent ) ) {
					return $zone;
				}
			}
		}
		foreach ( $zones as $zone ) {
			if ( ! $zone['regions'] ) {
				return $zone;
			}
		}
		return null;
	}

	/** A zone the message names by the merchant's zone name or a region code ("EU", "US:CA"). */
	private function zone_named( string $t, array $zones ): ?array {
		foreach ( $zones as $zone ) {
			if ( ! $zone['regions'] ) {
				continue;
			}
			$names = array( (string) $zone['name'] );
			foreach ( (array) $zone['regions'] as $r ) {
				$names[] = (string) $r['code'];
			}
			foreach ( $names as $name ) {
				$n = Lexicon::fold( $name );
				if ( '' !== $n && preg_match( '/(?<![\p{L}])' . preg_quote( $n, '/' ) . '(?![\p{L}])/u', Lexicon::fold( $t ) ) ) {
					return $zone;
				}
			}
		}
		return null;
	}

	/** A zone's countries in the shopper's language when it is a list of countries, else the merchant's name. */
	private function zone_label( array $zone ): string {
		$regions = (array) $zone['regions'];
		if ( $regions && count( $regions ) <= 3 && ! array_filter( $regions, static fn ( $r ) => 'country' !== ( $r['type'] ?? 'country' ) ) ) {
			return implode( ', ', array_map( fn ( $r ) => $this->country_name( (string) $r['code'] ), $regions ) );
		}
		return (string) $zone['name'];
	}

	private function country_name( string $code ): string {
		if ( class_exists( \Locale::class ) ) {
			$name = (string) \Locale::getDisplayRegion( '-' . $code, $this->lang ?: 'en' );
			if ( '' !== $name && $name !== $code ) {
				return $name;
			}
		}
		$countries = function_exists( 'WC' ) && isset( WC()->countries ) ? (array) WC()->countries->get_countries() : array();
		return html_entity_decode( (string) ( $countries[ $code ] ?? $code ), ENT_QUOTES, 'UTF-8' );
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
		$kind = preg_match( '/privacy|confidentialit|privacidad|datenschutz|privacidade|الخصوصية/u', $t ) ? 'privacy' : ( preg_match( '/terms|conditions|términos|agb|termos|termini|condizioni|الشروط/u', $t ) ? 'terms' : 'refund' );
		if ( empty( $p[ $kind ] ) ) {
			return $this->out( __( 'I do not have that policy. Leave your email or phone and the store will answer you.', 'aisle' ), array(), array( 'offer_lead' ), 'policy' );
		}
		$text = wp_trim_words( (string) $p[ $kind ]['text'], 60, '…' );
		return $this->out( '**' . $p[ $kind ]['title'] . "**\n" . $text . "\n" . $p[ $kind ]['url'], array(), array(), 'policy' );
	}

	/**
	 * Filters read from the message: price bounds and "cheapest" in any supported language, stock,
	 * and a category word as a ranking boost (a hard category filter only for "only in …").
	 */
	public function filters( string $text ): array {
		$t       = mb_strtolower( Lexicon::digits( $text ) );
		$filters = Lexicon::price_filters( $t );
		if ( preg_match( '/(?<![\p{L}])(?:in stock|available now|available|en stock|disponibles?|auf lager|verfügbar|lieferbar|em estoque|disponíve(?:l|is)|in magazzino|disponibil[ei])(?![\p{L}])|متوفر|متاح/u', $t ) ) {
			$filters['in_stock'] = true;
		}
		if ( preg_match( '/(?<![\p{L}])(?:out of stock|sold out|épuisé|agotado|ausverkauft|esgotado|esaurito)(?![\p{L}])|غير متوفر/u', $t ) ) {
			unset( $filters['in_stock'] );
			$filters['keep_order'] = true;
		}
		$categories = $this->adapter->category_names();
		$only       = Lexicon::only_in( $t, $categories );
		if ( '' !== $only ) {
			$filters['category'] = $only;
			return $filters;
		}
		foreach ( $categories as $cat ) {
			$c = mb_strtolower( $cat );
			if ( '' !== $c && preg_match( '/(?<![\p{L}])' . preg_quote( rtrim( $c, 's' ), '/' ) . 's?(?![\p{L}])/u', $t ) ) {
				$filters['category_boost'] = $cat;
				break;
			}
		}
		return $filters;
	}

	/** The message without filler, intent and price words, as a search query (any supported language). */
	public static function query( string $text ): string {
		return Lexicon::query( $text );
	}

	/**
	 * "Is the beanie in stock?" / "How much is the hoodie?": the product the question names,
	 * answered directly with its card; null when no product is named (a search answers then).
	 */
	private function direct( string $text, string $kind ): ?array {
		$subject = self::query( $text );
		if ( '' === $subject ) {
			return null;
		}
		$rows = $this->products->search( $subject, 6, array( 'keep_order' => true ) );
		$p    = self::named( $rows, $subject );
		if ( ! $p ) {
			// A general "do you have … available?" is a search; "is the bonnet in stock?" names one.
			if ( ! $rows || preg_match( '/(?<![\p{L}])(?:have|got|sell|avez|vendez|tienen|tenéis|venden|habt|haben|verkauft|têm|tem|vendem|avete|vendete)(?![\p{L}])|لديكم|عندكم|يوجد/u', mb_strtolower( $text ) ) ) {
				return null;
			}
			$p = $rows[0];
		}
		$variations = $this->variations_named( $p, $text );
		$card       = self::card( $p, $this->session_id, $variations );
		$name       = (string) $p['name'];
		if ( $variations ) {
			$name .= ' (' . implode( ', ', array_unique( array_merge( ...array_map( static fn ( $v ) => array_values( self::named_values( $v, $text ) ), $variations ) ) ) ) . ')';
		}
		if ( 'price' === $kind ) {
			if ( '' === $card['price_text'] ) {
				/* translators: %s: product name */
				return $this->out( sprintf( __( 'The %s has no price online. Leave your email or phone below and the store will tell you.', 'aisle' ), $name ), array( $card ), array( 'offer_lead' ), 'price' );
			}
			/* translators: 1: product name, 2: price or price range */
			$reply = sprintf( __( 'The %1$s costs %2$s.', 'aisle' ), $name, $card['price_text'] );
			if ( ! $card['in_stock'] ) {
				$reply .= ' ' . __( 'It is out of stock right now.', 'aisle' );
			}
			return $this->out( $reply, array( $card ), array(), 'price' );
		}
		if ( $card['in_stock'] ) {
			$reply = '' === $card['price_text']
				/* translators: %s: product name */
				? sprintf( __( 'Yes, the %s is in stock.', 'aisle' ), $name )
				/* translators: 1: product name, 2: price or price range */
				: sprintf( __( 'Yes, the %1$s is in stock (%2$s).', 'aisle' ), $name, $card['price_text'] );
			return $this->out( $reply, array( $card ), array(), 'stock' );
		}
		$similar = array_values( array_filter( $this->products->search( $subject, 4, array( 'in_stock' => true ) ), static fn ( $r ) => (int) $r['id'] !== (int) $p['id'] ) );
		/* translators: %s: product name */
		$reply = sprintf( __( 'Sorry, the %s is out of stock right now.', 'aisle' ), $name );
		if ( $similar ) {
			$reply .= ' ' . __( 'These similar products are in stock:', 'aisle' );
		}
		return $this->out( $reply, array_merge( array( $card ), array_map( fn ( $r ) => self::card( $r, $this->session_id ), array_slice( $similar, 0, 3 ) ) ), $similar ? array() : array( 'offer_lead' ), 'stock' );
	}

	/** The result whose name the subject says (all of its words, the most specific first), or null. */
	private static function named( array $rows, string $subject ): ?array {
		$words = static function ( string $s ): array {
			$out = array();
			foreach ( preg_split( '/[^\p{L}\p{N}]+/u', Lexicon::fold( $s ), -1, PREG_SPLIT_NO_EMPTY ) as $w ) {
				if ( ! in_array( $w, array( 'with', 'and', 'the', 'a', 'de', 'la', 'le' ), true ) ) {
					$out[] = mb_strlen( $w ) > 3 ? rtrim( $w, 's' ) : $w;
				}
			}
			return array_values( array_unique( $out ) );
		};
		$s    = $words( $subject );
		$best = array( 0, null );
		foreach ( $rows as $p ) {
			$n = $words( (string) $p['name'] );
			if ( ! $n ) {
				continue;
			}
			$score = ! array_diff( $n, $s ) ? ( ! array_diff( $s, $n ) ? 100 : 10 + count( $n ) ) : 0;
			if ( $score > $best[0] ) {
				$best = array( $score, $p );
			}
		}
		return $best[1];
	}

	/** The variations whose attribute values the question names ("the blue hoodie in L"), best matches only. */
	private function variations_named( array $p, string $text ): array {
		if ( empty( $p['variations'] ) ) {
			return array();
		}
		$best = array();
		$max  = 0;
		foreach ( $p['variations'] as $v ) {
			$n = count( self::named_values( $v, $text ) );
			if ( $n > $max ) {
				$max  = $n;
				$best = array( $v );
			} elseif ( $n === $max && $n > 0 ) {
				$best[] = $v;
			}
		}
		return $best;
	}

	/** @return string[] The attribute values of a variation that the text names. */
	private static function named_values( array $v, string $text ): array {
		$words   = preg_split( '/[^\p{L}\p{N}]+/u', mb_strtolower( $text ), -1, PREG_SPLIT_NO_EMPTY );
		$options = Lexicon::option_words( $text );
		return array_filter( (array) ( $v['attributes'] ?? array() ), static fn ( $value ) => Lexicon::value_matches( (string) $value, $options, $words ) );
	}

	/** Whether the catalog's best match carries every word of the product query in its name. */
	private function names_a_product( string $text ): bool {
		$query = self::query( $text );
		$words = array_filter( preg_split( '/[^\p{L}\p{N}]+/u', mb_strtolower( $query ), -1, PREG_SPLIT_NO_EMPTY ), static fn ( $w ) => mb_strlen( $w ) > 2 );
		$rows  = $words ? $this->products->search( $query, 1, $this->filters( $text ) ) : array();
		if ( ! $rows ) {
			return false;
		}
		$name = mb_strtolower( (string) $rows[0]['name'] );
		foreach ( $words as $w ) {
			if ( ! str_contains( $name, mb_substr( $w, 0, max( 4, mb_strlen( $w ) - 2 ) ) ) ) {
				return false;
			}
		}
		return true;
	}

	private function catalog( string $text ): array {
		$filters = $this->filters( $text );
		$query   = self::query( $text );
		$detail  = (bool) preg_match( '/\b(tell me about|details|describe|more about|what is|parlez-moi d|décri|cuéntame|háblame de|erzähl|beschreib|fale sobre|descreva|parlami d|descrivi)/iu', $text );
		$rows    = $this->products->search( $query, $detail ? 1 : 4, $filters );
		if ( ! $rows ) {
			return $this->out( __( 'I could not find a matching product. Would you like the store to get back to you? Leave your email or phone below.', 'aisle' ), array(), array( 'offer_lead' ), 'search' );
		}
		$cards = array_map( fn ( $p ) => self::card( $p, $this->session_id, $this->variations_named( $p, $text ) ), $rows );
		if ( $detail ) {
			$p     = $rows[0];
			$lines = array( '**' . $p['name'] . '**' . ( '' !== $cards[0]['price_text'] ? ' — ' . $cards[0]['price_text'] : '' ) . ', ' . ( $cards[0]['in_stock'] ? __( 'in stock', 'aisle' ) : __( 'out of stock', 'aisle' ) ) . '.' );
			$desc  = trim( wp_strip_all_tags( (string) ( $p['short_description'] ?: $p['description'] ) ) );
			if ( '' !== $desc ) {
				$lines[] = wp_trim_words( $desc, 40, '…' );
			}
			foreach ( $p['attributes'] as $name => $values ) {
				$lines[] = '- ' . $name . ': ' . implode( ', ', $values );
			}
			return $this->out( implode( "\n", $lines ), $cards, array(), 'product' );
		}
		if ( 'price_desc' === ( $filters['sort'] ?? '' ) ) {
			$reply = __( 'Here are the highest-priced matches:', 'aisle' );
		} elseif ( ! empty( $filters['sort'] ) ) {
			$reply = __( 'Here are the lowest-priced matches:', 'aisle' );
		} else {
			$reply = 1 === count( $rows ) ? __( 'Here is what I found:', 'aisle' ) : __( 'Here are some products that match:', 'aisle' );
		}
		return $this->out( $reply, $cards, array(), 'search' );
	}

	/**
	 * A widget card (DESIGN.md / README "chat" schema); links carry aisle_session for attribution.
	 * A variable product shows its price range, or the price of the variations the question named;
	 * a product without a price shows none.
	 *
	 * @param array[] $variations The variations the question named (their prices are the card's).
	 */
	public static function card( array $p, string $session_id, array $variations = array() ): array {
		$in_stock = 'outofstock' !== $p['stock_status'];
		if ( $variations ) {
			$in_stock = (bool) array_filter( $variations, static fn ( $v ) => 'outofstock' !== ( $v['stock_status'] ?? 'instock' ) );
		}
		$url    = add_query_arg( 'aisle_session', $session_id, (string) $p['permalink'] );
		$prices = $variations ? ProductSearch::prices( array( 'variations' => $variations ) ) : ProductSearch::prices( $p );
		$cur    = (string) ( $p['currency'] ?? '' );
		$text   = '';
		if ( $prices ) {
			$lo   = min( $prices );
			$hi   = max( $prices );
			$text = abs( $hi - $lo ) < 0.005 ? self::money( $lo, $cur ) : self::money( $lo, $cur ) . ' – ' . self::money( $hi, $cur );
		}
		$price = $prices ? (string) $p['price'] : '';
		if ( $prices && ( $variations || 'variable' === $p['type'] ) ) {
			$price = self::decimal( min( $prices ) );
		}
		return array(
			'id'              => (int) $p['id'],
			'name'            => (string) $p['name'],
			'sku'             => (string) $p['sku'],
			'price'           => $price,
			'price_max'       => $prices ? self::decimal( max( $prices ) ) : '',
			'price_text'      => $text,
			'in_stock'        => $in_stock,
			'url'             => $url,
			'image'           => (string) ( $p['image'] ?? '' ),
			// A simple product goes straight into WooCommerce's cart (its ?add-to-cart handler); a
			// variable one needs a variation chosen on its page, so it gets that link instead.
			'add_to_cart_url' => 'simple' === $p['type'] && $in_stock && $prices ? add_query_arg( 'add-to-cart', (int) $p['id'], $url ) : '',
			'options_url'     => 'variable' === $p['type'] && $in_stock ? $url : '',
		);
	}

	/** A price as a decimal string with the store's decimals ("42.00"). */
	private static function decimal( float $v ): string {
		return number_format( $v, function_exists( 'wc_get_price_decimals' ) ? wc_get_price_decimals() : 2, '.', '' );
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
