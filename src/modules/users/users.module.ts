import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { UserViews } from './user-views.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Partner end users: POST/GET /users, GET /users/:ref. */
@Module({
  imports: [PartnersModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserViews],
  exports: [UsersRepository, UsersService, UserViews],
})
export class UsersModule {}
