<?php
/**
 * Test site only (mu-plugin): with the option aisle_test_graph_base set (ChannelsTest), replies
 * go to the local fake Graph API (tests/fakes/graph.php) through the aisle_graph_api_base filter.
 */
defined( 'ABSPATH' ) || exit;

add_filter(
	'aisle_graph_api_base',
	static function ( string $base ): string {
		$fake = get_option( 'aisle_test_graph_base' );
		return is_string( $fake ) && '' !== $fake ? $fake : $base;
	}
);
