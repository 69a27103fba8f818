<?php
/**
 * Store facts (shipping, payment, shareable coupons, FAQ, policies) kept as one option the
 * assistant reads without touching WooCommerce on a visitor's request.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Knowledge;

use Aisle\Plugin\Catalog\WooAdapter;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class StoreFacts {

	public const OPTION = 'aisle_store_facts';

	public function __construct( private WooAdapter $adapter, private Settings $settings ) {}

	public function refresh(): array {
		$facts = $this->adapter->store_facts( (array) $this->settings->get( 'shareable_coupons' ) );
		$facts['faq']          = (array) $this->settings->get( 'faq' );
		$facts['store_name']   = (string) $this->settings->get( 'store_name' ) ?: get_bloginfo( 'name' );
		$facts['support_email'] = (string) $this->settings->get( 'support_email' );
		$facts['synced_at']    = time();
		update_option( self::OPTION, $facts, false );
		return $facts;
	}

	public function get(): ?array {
		$facts = get_option( self::OPTION );
		return is_array( $facts ) ? $facts : null;
	}
}
