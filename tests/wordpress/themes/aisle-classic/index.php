<?php
/**
 * @package AisleClassic
 */

get_header();
while ( have_posts() ) {
	the_post();
	echo '<article>';
	the_title( '<h1>', '</h1>' );
	the_content();
	echo '</article>';
}
get_footer();
