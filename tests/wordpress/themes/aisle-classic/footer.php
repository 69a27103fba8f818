<?php
/**
 * @package AisleClassic
 */
?>
</main><?php get_sidebar(); ?></div>
<footer class="site-footer"><p>&copy; <?php bloginfo( 'name' ); ?></p></footer>
<?php wp_footer(); ?>
</body>
</html>
